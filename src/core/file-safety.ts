/**
 * The checks a config or credential file passes before it is read, as ssh checks its own files: it must be a
 * regular file of bounded size (a committed symlink to /dev/zero must not be read until memory runs out), and
 * nobody but its owner may be able to change it (a file writable by the group or by others could have been
 * written by someone else, and tcss would act on it with the user's keys). A file owned by another user is read
 * with a warning: a container running as root over a mounted checkout is common. Files owned by root are
 * trusted like the user's own, as ssh trusts them. On Windows, where modes and uids do not apply, only the
 * type and size are checked.
 */
import { statSync, type Stats } from 'node:fs';
import { UsageError } from './errors.js';

export interface FileSafetyQuery {
  /** The path to check (symbolic links are followed: what counts is the file that would be read). */
  path: string;
  /** The path as messages show it (`~/.tccli/default.credential`). */
  shown: string;
  /** The error code's prefix: `Config` or `Credentials`. */
  kind: 'Config' | 'Credentials';
  maxBytes: number;
  /** The uid tcss runs as; undefined where uids do not apply. */
  uid?: number | undefined;
}

export interface FileSafety {
  /** False when the path does not exist (the caller decides whether that is an error). */
  exists: boolean;
  /** A one-line warning to print before the file is used. */
  warning?: string;
}

/** Single quotes for a shell when the path holds anything but safe characters. */
function shellWord(path: string): string {
  return /^[~\w./@%+=:,-]+$/.test(path) ? path : `'${path.replace(/'/g, "'\\''")}'`;
}

/** Checks a file before it is read; throws UsageError (exit 2) for one that must not be read. */
export function checkFileSafety(query: FileSafetyQuery, stat: (path: string) => Stats = statSync): FileSafety {
  let st: Stats;
  try {
    st = stat(query.path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { exists: false };
    throw error;
  }
  const what = query.kind === 'Config' ? 'config file' : 'credential file';
  // A directory: reading it fails, and the caller names that.
  if (st.isDirectory()) return { exists: true };
  if (!st.isFile()) throw new UsageError(`${query.kind}.NotFound`, `${query.shown} is not a regular file (a device, pipe or socket)`);
  if (st.size > query.maxBytes) throw new UsageError(`${query.kind}.Invalid`, `${query.shown} is over ${query.maxBytes} bytes; it is not a ${what}`);
  const uid = query.uid;
  if (uid === undefined || process.platform === 'win32') return { exists: true };
  if ((st.mode & 0o022) !== 0) {
    const who = (st.mode & 0o002) !== 0 ? 'anyone' : 'its group';
    throw new UsageError(`${query.kind}.Unsafe`, `${query.shown} can be changed by ${who}; tcss refuses a ${what} others can write`, {
      hint: `run: chmod go-w ${shellWord(query.shown)}`,
    });
  }
  if (st.uid !== uid && st.uid !== 0) {
    return { exists: true, warning: `${query.shown} is owned by another user (uid ${st.uid}, not ${uid}); reading it anyway` };
  }
  return { exists: true };
}

/** The uid this process runs as, or undefined where there is none (Windows). */
export function currentUid(): number | undefined {
  return typeof process.getuid === 'function' ? process.getuid() : undefined;
}
