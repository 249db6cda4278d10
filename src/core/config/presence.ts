/**
 * Answers, with a few directory listings, "could cosmiconfig find a tcss config here?", so that the common
 * case of no config file at all skips loading cosmiconfig and its ~40 file probes (docs/performance.md).
 *
 * It mirrors what `cosmiconfig('tcss', { searchStrategy: 'global', stopDir })` searches (cosmiconfig 9):
 * the meta config in the process's working directory, then every directory from `cwd` up to `stopDir`, then
 * the global config directory. It must never say "no" where cosmiconfig would find something; when in
 * doubt it says "maybe" and cosmiconfig runs as before (test/unit/config-presence.test.ts checks both
 * against the real cosmiconfig).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const MODULE = 'tcss';

/** cosmiconfig's getDefaultSearchPlaces('tcss'), in its order. */
export const SEARCH_PLACES: readonly string[] = [
  'package.json',
  ...['', '.json', '.yaml', '.yml', '.js', '.ts', '.cjs', '.mjs'].map((ext) => `.${MODULE}rc${ext}`),
  ...['', '.json', '.yaml', '.yml', '.js', '.ts', '.cjs', '.mjs'].map((ext) => `.config/${MODULE}rc${ext}`),
  ...['.js', '.ts', '.cjs', '.mjs'].map((ext) => `${MODULE}.config${ext}`),
];

/** cosmiconfig's globalConfigSearchPlaces. */
export const GLOBAL_SEARCH_PLACES: readonly string[] = ['', '.json', '.yaml', '.yml', '.js', '.ts', '.cjs', '.mjs'].map((ext) => `config${ext}`);

/** cosmiconfig's metaSearchPlaces (read from the process's working directory, key `cosmiconfig`). */
export const META_SEARCH_PLACES: readonly string[] = [
  'package.json',
  'package.yaml',
  ...['.json', '.yaml', '.yml', '.js', '.ts', '.cjs', '.mjs'].map((ext) => `.config/config${ext}`),
];

/** env-paths' config directory for `tcss`, which cosmiconfig uses as the global config directory. */
export function globalConfigDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (platform === 'darwin') return join(home, 'Library', 'Preferences', MODULE);
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), MODULE, 'Config');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), MODULE);
}

class Listing {
  readonly #cache = new Map<string, Set<string> | 'unreadable'>();

  /** Entry names of a directory; empty when it does not exist; 'unreadable' when it cannot be listed. */
  entries(dir: string): Set<string> | 'unreadable' {
    let entries = this.#cache.get(dir);
    if (entries === undefined) {
      try {
        entries = new Set(readdirSync(dir));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        entries = code === 'ENOENT' || code === 'ENOTDIR' ? new Set() : 'unreadable';
      }
      this.#cache.set(dir, entries);
    }
    return entries;
  }

  /** 'yes', 'no', or 'unknown' (a directory on the way could not be listed). */
  exists(dir: string, place: string): 'yes' | 'no' | 'unknown' {
    const parts = place.split('/');
    let current = dir;
    for (const part of parts) {
      const entries = this.entries(current);
      if (entries === 'unreadable') return 'unknown';
      if (!entries.has(part)) return 'no';
      current = join(current, part);
    }
    return 'yes';
  }
}

/** True unless package.json parses and has no value under `key` (then cosmiconfig passes it by). */
function packageJsonMatters(path: string, key: string): boolean {
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    if (typeof data !== 'object' || data === null) return true;
    return (data as Record<string, unknown>)[key] != null;
  } catch {
    // Unreadable or not JSON (cosmiconfig would report it, or read it differently): let cosmiconfig decide.
    return true;
  }
}

/** The directories cosmiconfig's 'global' strategy walks: from `cwd` up to `stopDir` (or the root). */
export function searchDirs(cwd: string, stopDir: string): string[] {
  const stop = resolve(stopDir);
  let current = resolve(cwd);
  const dirs = [current];
  while (current !== stop) {
    const parent = dirname(current);
    if (parent === current) break;
    dirs.push(parent);
    current = parent;
  }
  return dirs;
}

export interface PresenceQuery {
  /** Where the search starts. */
  cwd: string;
  /** cosmiconfig's stopDir. */
  stopDir: string;
  /** The process's working directory, where cosmiconfig looks for its meta config. */
  processCwd?: string;
  /** cosmiconfig's global config directory. */
  globalDir?: string;
}

/** False only when cosmiconfig's search is certain to find no config file. */
export function configMayExist(query: PresenceQuery): boolean {
  const listing = new Listing();
  const found = (dir: string, place: string, packageKey: string): boolean => {
    const state = listing.exists(dir, place);
    if (state === 'unknown') return true;
    if (state === 'no') return false;
    return place === 'package.json' ? packageJsonMatters(join(dir, place), packageKey) : true;
  };
  const processCwd = query.processCwd ?? process.cwd();
  if (META_SEARCH_PLACES.some((place) => found(processCwd, place, 'cosmiconfig'))) return true;
  for (const dir of searchDirs(query.cwd, query.stopDir)) {
    if (SEARCH_PLACES.some((place) => found(dir, place, MODULE))) return true;
  }
  const globalDir = query.globalDir ?? globalConfigDir();
  return GLOBAL_SEARCH_PLACES.some((place) => found(globalDir, place, MODULE));
}
