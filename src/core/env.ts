/**
 * The environment as the core sees it: a value passed in, never read from `process` (so tests and the
 * many-account runner can hand each call its own), and the one path helper every concern shares.
 */

/** Environment variables, as passed to `main()`. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Displays a path with the home directory as `~`. */
export function tildify(path: string, home: string): string {
  return home && path.startsWith(home + '/') ? `~${path.slice(home.length)}` : path;
}

/**
 * The home directory: HOME, which os.homedir() itself reads first on Linux and macOS (on Windows it reads
 * USERPROFILE, which this reads only through node:os when HOME is unset); node:os (about 0.3 ms of every start)
 * is loaded only when HOME is unset or empty.
 */
export function homeDir(env: Env): string {
  return env.HOME || process.getBuiltinModule('node:os').homedir();
}
