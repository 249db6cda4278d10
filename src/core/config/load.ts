/**
 * Finds and loads the config file with cosmiconfig (module name `tcss`): from the working directory up to the
 * project root (the nearest folder with .git or package.json; else the home directory, when the working
 * directory is inside it; else the working directory alone), then the user's config folder
 * (~/.config/tcss/config.json, …), or exactly `--config FILE`.
 *
 * The search never climbs past the project: a JavaScript config file is code that runs with the user's
 * environment, so one planted in /tmp or a parent of a CI workspace must never be picked up.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { configMayExist } from './presence.js';
import { validateConfig, type TcssConfig } from './schema.js';
import { tildify } from '../env.js';
import { UsageError } from '../errors.js';

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

/** Where the upward search stops: the project root, else home (from inside it), else the working directory. */
export function searchStopDir(cwd: string, home: string): string {
  const start = resolve(cwd);
  const homeDir = home ? resolve(home) : '';
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git')) || existsSync(join(dir, 'package.json'))) return dir;
    if (dir === homeDir) return dir;
    if (dirname(dir) === dir) return start;
  }
}

/** Config files larger than this are refused unread: the whole schema fits in a few kilobytes. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * `--config FILE` must be a regular file of sane size: cosmiconfig reads a file whole, and a device or a pipe
 * (`--config /dev/zero`) would be read until memory runs out. Missing files are left to cosmiconfig's error.
 */
function checkExplicitFile(path: string, home: string): void {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return;
  }
  const named = `--config ${tildify(path, home)}`;
  if (stat.isDirectory()) throw new UsageError('Config.NotFound', `${named} is a directory, not a config file`);
  if (!stat.isFile()) throw new UsageError('Config.NotFound', `${named} is not a regular file (a device, pipe or socket)`);
  if (stat.size > MAX_CONFIG_BYTES) throw new UsageError('Config.Invalid', `${named} is over ${MAX_CONFIG_BYTES} bytes; it is not a config file`);
}

function describeLoadError(error: unknown, file: string, explicit: boolean): UsageError {
  const err = error as NodeJS.ErrnoException;
  const named = explicit ? `--config ${file}` : file;
  if (err.code === 'ENOENT') return new UsageError('Config.NotFound', `${named}: no such file`);
  if (err.code === 'EISDIR') return new UsageError('Config.NotFound', `${named} is a directory, not a config file`);
  if (err.code === 'EACCES' || err.code === 'EPERM' || err.code === 'ENOTDIR') {
    return new UsageError('Config.Unreadable', `cannot read ${named} (${err.code})`, { hint: 'check the file\'s permissions, or pass another with --config' });
  }
  const message = String(err.message ?? error);
  const extension = /^No loader specified for extension "(.{1,40})"$/.exec(message)?.[1];
  if (extension !== undefined) {
    return new UsageError('Config.LoadFailed', `${named}: a config file ending in ${JSON.stringify(extension)} is not read`, {
      hint: 'name it .json, .yaml or .yml (or .js, .cjs, .mjs, .ts), or give it no extension, which is read as JSON or YAML',
    });
  }
  if (/^(?:JSON|YAML) Error in /.test(message) || err.name === 'YAMLException' || err.name === 'JSONError' || error instanceof SyntaxError) {
    // Parser messages quote the file's text, which may hold a secret: keep only the position.
    const line = /line (\d+)/i.exec(message)?.[1] ?? /:(\d+):\d+/.exec(message)?.[1] ?? /\((\d+):\d+\)/.exec(message)?.[1];
    const position = /position (\d+)/i.exec(message)?.[1];
    const where = line ? ` (line ${line})` : position ? ` (at character ${position})` : '';
    return new UsageError('Config.Unparsable', `cannot parse ${file}${where}: check its JSON/YAML syntax`);
  }
  // A JavaScript config file that threw: say so without echoing what it threw (it may quote anything).
  return new UsageError('Config.LoadFailed', `${named} failed to load${err.name && err.name !== 'Error' ? ` (${err.name})` : ''}`, {
    hint: 'run it with node (or tcss with --debug) to see what it throws; fix it, or pass another file with --config',
    cause: error,
  });
}

/** Loads and validates the config; throws UsageError (exit 2) for an unreadable, unparsable or invalid file. */
export async function loadConfig(query: ConfigQuery): Promise<LoadedConfig> {
  const stopDir = searchStopDir(query.cwd, query.home);
  // Without a candidate file anywhere on the search path there is nothing to load: skip cosmiconfig.
  if (!query.explicitPath && !configMayExist({ cwd: query.cwd, stopDir })) return { config: {} };
  // A CommonJS package: its exports object is the default export, both in Node and in the bundle.
  if (query.explicitPath) checkExplicitFile(query.explicitPath, query.home);
  const { cosmiconfig, defaultLoaders } = (await import('cosmiconfig')).default;
  // Each loader notes which file it was loading when it failed: cosmiconfig names the file for JSON and YAML
  // syntax errors only, not for a JavaScript config file that throws.
  let loading: string | undefined;
  const loaders = Object.fromEntries(
    Object.entries(defaultLoaders).map(([ext, loader]) => [ext, (filepath: string, content: string) => ((loading = filepath), loader(filepath, content))]),
  );
  const explorer = cosmiconfig('tcss', { searchStrategy: 'global', stopDir, cache: false, loaders });
  let result: Awaited<ReturnType<typeof explorer.search>>;
  try {
    result = query.explicitPath ? await explorer.load(query.explicitPath) : await explorer.search(query.cwd);
  } catch (error) {
    // cosmiconfig prefixes parser errors with `JSON Error in <path>:`; the path names the file it found.
    const found = /^(?:JSON|YAML) Error in (.+?): ?\n/.exec(String((error as Error).message ?? ''))?.[1];
    const file = query.explicitPath ?? found ?? loading ?? 'the config file';
    throw describeLoadError(error, tildify(file, query.home), query.explicitPath !== undefined);
  }
  if (!result || result.isEmpty) return result ? { config: {}, filepath: result.filepath } : { config: {} };
  return { config: validateConfig(result.config, tildify(result.filepath, query.home)), filepath: result.filepath };
}
