/**
 * Finds and loads the config file: the data files presence.ts lists (JSON, YAML, package.json's `tcss` key, in
 * the project and the user's config folder), or exactly `--config FILE`. cosmiconfig reads and parses each file
 * with loaders for data only; its search, its meta config (`.config/config.*`, a `cosmiconfig` key) and its
 * `$import` are not used: each of them can make a checked-out file run code or widen the search. JavaScript and
 * TypeScript config files are code, loaded only when named with `--config`.
 */
import { basename } from 'node:path';
import { configCandidates, globalConfigDir, projectRoot } from './presence.js';
import { validateConfig, type TcssConfig } from './schema.js';
import { inspectDocument } from '../acyclic.js';
import { tildify } from '../env.js';
import { UsageError } from '../errors.js';
import { checkFileSafety, currentUid } from '../file-safety.js';

export interface LoadedConfig {
  config: TcssConfig;
  /** The file it came from; undefined when none was found. */
  filepath?: string;
  /** One-line warnings to print (a file owned by another user, code config files the search passed by). */
  warnings?: string[];
}

export interface ConfigQuery {
  cwd: string;
  /** `--config FILE`: load exactly this file; it must exist. */
  explicitPath?: string;
  /** Shown as `~` in messages; the user's config folder is under it. */
  home: string;
  /** For $XDG_CONFIG_HOME; the process's environment unless given. */
  env?: NodeJS.ProcessEnv;
}

/** Where the upward search stops: the project root, else the working directory (presence.ts). */
export function searchStopDir(cwd: string): string {
  return projectRoot(cwd);
}

/** Config files larger than this are refused unread: the whole schema fits in a few kilobytes. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** Nesting deeper than this is not a config file (the schema is two levels deep). */
const MAX_CONFIG_DEPTH = 64;
/** Values a config document may expand to through YAML aliases: far more than any real one holds. */
const MAX_CONFIG_NODES = 100_000;

function describeLoadError(error: unknown, file: string, explicit: boolean): UsageError {
  if (error instanceof UsageError) return error;
  const err = error as NodeJS.ErrnoException;
  const named = explicit ? `--config ${file}` : file;
  if (err.code === 'ENOENT') return new UsageError('Config.NotFound', `${named}: no such file`);
  if (err.code === 'EISDIR') return new UsageError('Config.NotFound', `${named} is a directory, not a config file`);
  if (err.code === 'EACCES' || err.code === 'EPERM' || err.code === 'ENOTDIR') {
    return new UsageError('Config.Unreadable', `cannot read ${named} (${err.code})`, { hint: 'check the file\'s permissions, or pass another with --config' });
  }
  const message = String(err.message ?? error);
  if (error instanceof RangeError || /exceeded maxDepth/.test(message)) return new UsageError('Config.Invalid', `${file} is nested too deeply to be a config file`);
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

type Loader = (filepath: string, content: string) => unknown;
interface ExplorerLike {
  load(filepath: string): Promise<{ config: unknown; filepath: string; isEmpty?: boolean } | null>;
}
type ExplorerClass = new (options: Record<string, unknown>) => ExplorerLike;

/**
 * Wraps a loader: what it returns is checked before cosmiconfig sees it. `$import` is refused (it reads, and for a
 * .js name runs, any other file), and the document must be finite, acyclic and of sane depth.
 */
function guarded(loader: Loader, shown: (path: string) => string): Loader {
  return async (filepath, content) => {
    const data = await loader(filepath, content.replace(/^\uFEFF/, ''));
    const doc = basename(filepath) === 'package.json' && typeof data === 'object' && data !== null ? (data as Record<string, unknown>).tcss : data;
    const file = shown(filepath);
    if (typeof doc === 'object' && doc !== null && Object.hasOwn(doc, '$import')) {
      throw new UsageError('Config.Invalid', `${file}: "$import" is not supported; tcss reads one config file and never imports another`, {
        hint: 'copy the settings into this file',
      });
    }
    const shape = inspectDocument(doc, { maxNodes: MAX_CONFIG_NODES, maxDepth: MAX_CONFIG_DEPTH });
    if (shape.problem === 'cycle') throw new UsageError('Config.Invalid', `${file} refers to itself (a YAML alias inside its own anchor)`);
    if (shape.problem === 'depth') throw new UsageError('Config.Invalid', `${file} is nested more than ${MAX_CONFIG_DEPTH} levels deep; it is not a config file`);
    if (shape.problem === 'size') throw new UsageError('Config.Invalid', `${file} expands to more than ${MAX_CONFIG_NODES} values (YAML aliases); it is not a config file`);
    return data;
  };
}

/** Loads and validates the config; throws UsageError (exit 2) for an unreadable, unparsable, unsafe or invalid file. */
export async function loadConfig(query: ConfigQuery): Promise<LoadedConfig> {
  const shown = (path: string): string => tildify(path, query.home);
  const warnings: string[] = [];
  const uid = currentUid();
  let files: string[];
  if (query.explicitPath) {
    files = [query.explicitPath];
  } else {
    const found = configCandidates({ cwd: query.cwd, globalDir: globalConfigDir(query.env ?? process.env, process.platform, query.home) });
    for (const path of found.ignored) warnings.push(`${shown(path)} is not read: a JavaScript or TypeScript config file runs code, so tcss loads one only when named with --config`);
    // Without a candidate file anywhere on the search path there is nothing to load: skip cosmiconfig.
    if (found.files.length === 0) return warnings.length > 0 ? { config: {}, warnings } : { config: {} };
    files = found.files;
  }
  const explicit = query.explicitPath !== undefined;
  // A CommonJS package: its exports object is the default export, both in Node and in the bundle.
  const { defaultLoaders } = (await import('cosmiconfig')).default;
  const { Explorer } = (await import('cosmiconfig/dist/Explorer.js')).default as unknown as { Explorer: ExplorerClass };
  // js-yaml only when a YAML file is read.
  const loadYaml: Loader = async (_path, content) => (await import('js-yaml')).load(content);
  const data: Record<string, Loader> = { '.json': defaultLoaders['.json'], '.yaml': loadYaml, '.yml': loadYaml, noExt: loadYaml };
  // Code loaders only for a file named with --config.
  const loaders = Object.fromEntries(Object.entries(explicit ? { ...defaultLoaders, ...data } : data).map(([ext, loader]) => [ext, guarded(loader as Loader, shown)]));
  const explorer = new Explorer({
    moduleName: 'tcss',
    searchPlaces: [],
    ignoreEmptySearchPlaces: true,
    loaders,
    transform: (result: unknown) => result,
    cache: false,
    metaConfigFilePath: null,
    mergeImportArrays: false,
    mergeSearchPlaces: false,
    searchStrategy: 'none',
  });
  for (const path of files) {
    const named = explicit ? `--config ${shown(path)}` : shown(path);
    const safety = checkFileSafety({ path, shown: named, kind: 'Config', maxBytes: MAX_CONFIG_BYTES, uid });
    if (!safety.exists) {
      if (explicit) throw new UsageError('Config.NotFound', `${named}: no such file`);
      continue;
    }
    let result: Awaited<ReturnType<ExplorerLike['load']>>;
    try {
      result = await explorer.load(path);
    } catch (error) {
      throw describeLoadError(error, shown(path), explicit);
    }
    if (safety.warning) warnings.push(safety.warning);
    if (!result || (result.isEmpty && !explicit)) continue;
    const extra = warnings.length > 0 ? { warnings } : {};
    if (result.isEmpty) return { config: {}, filepath: result.filepath, ...extra };
    return { config: validateConfig(result.config, shown(result.filepath)), filepath: result.filepath, ...extra };
  }
  return warnings.length > 0 ? { config: {}, warnings } : { config: {} };
}
