/**
 * Where tcss looks for a config file, and which of those places hold one: a few directory listings, so that
 * the common case of no config file at all skips loading cosmiconfig (docs/performance.md). The loader
 * (load.ts) reads exactly the files this module finds, in its order, so the cheap check and the real search
 * cannot disagree.
 *
 * The search reads data only, never code: JSON and YAML files and package.json's `tcss` key. It looks in the
 * working directory and its parents up to the project root (the nearest folder with `.git` or package.json;
 * without one, the working directory alone), then in the user's config folder. It never climbs into a folder
 * that others may write to (such as /tmp), and the home directory plays no part in where it stops, so
 * `HOME=/` or a home above the working directory opens nothing more. JavaScript and TypeScript config files
 * run code: they are read only when named with `--config`, and when the search sees one it says that it
 * ignored it.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { homeDir } from '../env.js';

const MODULE = 'tcss';
const DATA_EXTS = ['', '.json', '.yaml', '.yml'];
const CODE_EXTS = ['.js', '.ts', '.cjs', '.mjs', '.cts', '.mts'];

/** The data files looked for in each directory of the project, in order. */
export const SEARCH_PLACES: readonly string[] = [
  'package.json',
  ...DATA_EXTS.map((ext) => `.${MODULE}rc${ext}`),
  ...DATA_EXTS.map((ext) => `.config/${MODULE}rc${ext}`),
];

/** The data files looked for in the user's config folder, in order. */
export const GLOBAL_SEARCH_PLACES: readonly string[] = DATA_EXTS.map((ext) => `config${ext}`);

/** Config files that are code: never read by the search (only with `--config`); seeing one is worth a warning. */
export const CODE_PLACES: readonly string[] = [
  ...CODE_EXTS.map((ext) => `.${MODULE}rc${ext}`),
  ...CODE_EXTS.map((ext) => `.config/${MODULE}rc${ext}`),
  ...CODE_EXTS.map((ext) => `${MODULE}.config${ext}`),
];
export const GLOBAL_CODE_PLACES: readonly string[] = CODE_EXTS.map((ext) => `config${ext}`);

/** The user's config folder for `tcss` (as env-paths names it): $XDG_CONFIG_HOME/tcss or ~/.config/tcss on Linux. */
export function globalConfigDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homeDir(env)): string {
  if (platform === 'darwin') return join(home, 'Library', 'Preferences', MODULE);
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), MODULE, 'Config');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), MODULE);
}

function entriesOf(dir: string): Set<string> {
  try {
    return new Set(readdirSync(dir));
  } catch {
    // Missing or unreadable: nothing is read from it.
    return new Set();
  }
}

/** Whether `place` (one or two path parts) exists under `dir`, from cached listings. */
function makeExists(): (dir: string, place: string) => boolean {
  const cache = new Map<string, Set<string>>();
  const list = (dir: string): Set<string> => {
    let entries = cache.get(dir);
    if (entries === undefined) cache.set(dir, (entries = entriesOf(dir)));
    return entries;
  };
  return (dir, place) => {
    let current = dir;
    for (const part of place.split('/')) {
      if (!list(current).has(part)) return false;
      current = join(current, part);
    }
    return true;
  };
}

/** True for a directory that users other than its owner may write to (and so plant files in). */
function writableByOthers(dir: string): boolean {
  try {
    return process.platform !== 'win32' && (statSync(dir).mode & 0o002) !== 0;
  } catch {
    return false;
  }
}

/**
 * The project root the search stops at: the nearest folder, from `cwd` up, with `.git` or package.json, never
 * climbing into a folder others may write to; without one, `cwd` itself.
 */
export function projectRoot(cwd: string): string {
  const start = resolve(cwd);
  const exists = makeExists();
  for (let dir = start; ; ) {
    if (exists(dir, '.git') || exists(dir, 'package.json')) return dir;
    const parent = dirname(dir);
    if (parent === dir || writableByOthers(parent)) return start;
    dir = parent;
  }
}

/** The directories searched, nearest first: from `cwd` up to `stopDir` (or the root). */
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

/** False when package.json parses and has no `tcss` value (then it is passed by); true when it cannot be told. */
function packageJsonMatters(path: string): boolean {
  try {
    const data = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, '')) as unknown;
    if (typeof data !== 'object' || data === null) return true;
    return (data as Record<string, unknown>)[MODULE] != null;
  } catch {
    // Unreadable or not JSON: the loader reads it and reports what is wrong.
    return true;
  }
}

export interface PresenceQuery {
  /** Where the search starts. */
  cwd: string;
  /** The project root (projectRoot(cwd) unless given). */
  stopDir?: string;
  /** The user's config folder (globalConfigDir() unless given). */
  globalDir?: string;
}

export interface Candidates {
  /** Data files to read, in order; the first that holds a config wins. */
  files: string[];
  /** Code config files seen on the way, which the search does not run. */
  ignored: string[];
}

/** The config files the search would read, in order, and the code config files it passes by. */
export function configCandidates(query: PresenceQuery): Candidates {
  const exists = makeExists();
  const files: string[] = [];
  const ignored: string[] = [];
  const look = (dir: string, data: readonly string[], code: readonly string[]): void => {
    for (const place of data) {
      if (!exists(dir, place)) continue;
      const path = join(dir, place);
      if (place === 'package.json' && !packageJsonMatters(path)) continue;
      files.push(path);
    }
    for (const place of code) if (exists(dir, place)) ignored.push(join(dir, place));
  };
  for (const dir of searchDirs(query.cwd, query.stopDir ?? projectRoot(query.cwd))) look(dir, SEARCH_PLACES, CODE_PLACES);
  look(query.globalDir ?? globalConfigDir(), GLOBAL_SEARCH_PLACES, GLOBAL_CODE_PLACES);
  return { files, ignored };
}

/** False only when the search is certain to find no config file. */
export function configMayExist(query: PresenceQuery): boolean {
  return configCandidates(query).files.length > 0;
}
