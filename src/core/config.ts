/**
 * Finds and loads the config file with cosmiconfig (module name `tcss`): from the working directory up to the
 * home directory, then the user's config folder (~/.config/tcss/config.json, …), or exactly `--config FILE`.
 */
import { homedir } from 'node:os';
import { configMayExist } from './config-presence.js';
import { validateConfig, type TcssConfig } from './config-schema.js';
import { UsageError } from './errors.js';

export interface LoadedConfig {
  config: TcssConfig;
  /** The file it came from; undefined when none was found. */
  filepath?: string;
}

export interface ConfigQuery {
  cwd: string;
  /** `--config FILE`: load exactly this file; it must exist. */
  explicitPath?: string;
  /** Shown as `~` in messages. */
  home: string;
}

function shortPath(path: string, home: string): string {
  return home && path.startsWith(home + '/') ? `~${path.slice(home.length)}` : path;
}

/** Loads and validates the config; throws UsageError (exit 2) for an unreadable, unparsable or invalid file. */
export async function loadConfig(query: ConfigQuery): Promise<LoadedConfig> {
  const stopDir = query.home || homedir();
  // Without a candidate file anywhere on the search path there is nothing to load: skip cosmiconfig.
  if (!query.explicitPath && !configMayExist({ cwd: query.cwd, stopDir })) return { config: {} };
  // A CommonJS package: its exports object is the default export, both in Node and in the bundle.
  const { cosmiconfig } = (await import('cosmiconfig')).default;
  const explorer = cosmiconfig('tcss', { searchStrategy: 'global', stopDir, cache: false });
  let result: Awaited<ReturnType<typeof explorer.search>>;
  try {
    result = query.explicitPath ? await explorer.load(query.explicitPath) : await explorer.search(query.cwd);
  } catch (error) {
    const err = error as NodeJS.ErrnoException & { mark?: unknown };
    const target = query.explicitPath ?? 'the config file';
    if (err.code === 'ENOENT' || err.code === 'EISDIR') {
      throw new UsageError('Config.NotFound', `--config ${query.explicitPath ?? ''}: no such file`, { cause: error });
    }
    // Parser messages quote the file's text, which may hold a secret: keep only the position.
    const message = String(err.message ?? error);
    const line = /line (\d+)/i.exec(message)?.[1] ?? /:(\d+):\d+/.exec(message)?.[1];
    const position = /position (\d+)/i.exec(message)?.[1];
    const where = line ? ` (line ${line})` : position ? ` (at character ${position})` : '';
    throw new UsageError('Config.Unparsable', `cannot parse ${shortPath(target, query.home)}${where}: check its JSON/YAML syntax`);
  }
  if (!result || result.isEmpty) return result ? { config: {}, filepath: result.filepath } : { config: {} };
  return { config: validateConfig(result.config, shortPath(result.filepath, query.home)), filepath: result.filepath };
}
