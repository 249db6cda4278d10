#!/usr/bin/env node
// The tcss command. CommonJS on purpose (bin/package.json), and in two steps (docs/performance.md):
// `tcss --version`, and `tcss --help` into a pipe or file, are answered from dist/fast-paths.json, written by
// the build from the real parser's output, without loading the CLI or even process.stdout; everything else
// runs dist/tcss.cjs, compiled from a V8 code cache so that V8 starts from compiled code instead of parsing
// and compiling the script again: the cache the build recorded next to it (dist/tcss.cjs.cache) on the Node
// that built the package, and on any other Node the one tcss records in the user's own cache folder.
'use strict';

const fs = require('node:fs');
const { join } = require('node:path');

const DIST = join(__dirname, '..', 'dist');

/** The shortcut's text for this argument list, or undefined when the full CLI must answer. */
function shortcut(args) {
  if (args.length !== 1) return undefined;
  const version = args[0] === '--version' || args[0] === '-V';
  // Help is recorded at 80 columns, as commander prints it when stdout is not a terminal.
  const help = (args[0] === '--help' || args[0] === '-h') && !fs.fstatSync(1).isCharacterDevice();
  if (!version && !help) return undefined;
  const recorded = JSON.parse(fs.readFileSync(join(DIST, 'fast-paths.json'), 'utf8'));
  const text = version ? (recorded.version ? `${recorded.version}\n` : '') : recorded.help;
  return typeof text === 'string' && text !== '' ? text : undefined;
}

/** Writes the shortcut's text to fd 1 as the full CLI would, pipe closed early included. */
function print(text) {
  const bytes = Buffer.from(text);
  let written = 0;
  try {
    while (written < bytes.length) written += fs.writeSync(1, bytes, written);
  } catch (error) {
    // A reader that went away (`tcss --help | head -1`): the output ends there, as in the full CLI.
    if (error.code === 'EPIPE') process.exit(0);
    // A non-blocking pipe that is full: hand the rest to the stream, which waits for the reader.
    if (error.code === 'EAGAIN') return void process.stdout.write(bytes.subarray(written));
    // Any other failure (a full disk, a closed or read-only descriptor): the documented line and exit 1, as the
    // full CLI reports it (src/cli.ts), never a stack trace.
    try {
      fs.writeSync(2, `Error [Output.WriteFailed]: could not write to standard output (${error.code ?? error.message}); what the command printed is incomplete\n`);
    } catch {
      // standard error is gone too: the exit code says it
    }
    process.exitCode = 1;
  }
}

/**
 * The name dist/tcss.cjs is compiled under, wherever the package is installed. V8 keeps the name a code cache
 * was recorded under, so stack traces show this name, never the path of the machine that built the package.
 */
const SCRIPT_NAME = 'tcss/dist/tcss.cjs';

/**
 * The header of a code-cache file, three lines: the script's first line (`// tcss build <id>`), `v8 <version>`
 * of the V8 that recorded it, and `crc32 <script> <cache> <kind>`: checksums of the script's bytes and of the
 * cache's, and whether the run that recorded it had an answer to a request (`network`) or not (`local`), for a
 * cache that lacks the network code is recorded again by the first run that has one. scripts/code-cache.cjs
 * and `record` in loadCli write it; cacheFor checks it.
 */
function cacheHeader(scriptBytes, data, kind) {
  const { crc32 } = require('node:zlib');
  return `${cacheStamp(scriptBytes)}crc32 ${crc32(scriptBytes)} ${crc32(data)} ${kind}\n`;
}

/** The header's first two lines: which build, which V8. */
function cacheStamp(scriptBytes) {
  return `${scriptBytes.toString('latin1', 0, scriptBytes.indexOf(10) + 1)}v8 ${process.versions.v8}\n`;
}

// Undefined on Windows, where a bitwise or makes them 0.
const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL, O_NONBLOCK, O_NOFOLLOW } = fs.constants;

/** The largest files tcss reads from the user's cache folder: a code cache (~0.6 MB), the `verified` note. */
const MAX_CACHE_BYTES = 16 * 1024 * 1024;
const MAX_NOTE_BYTES = 16 * 1024;

/** Whether a file or folder belongs to this user (everywhere, where there are no user ids). */
function isMine(stat) {
  return typeof process.getuid !== 'function' || Number(stat.uid) === process.getuid();
}

/** Whether a file's owner and mode are this user's alone (no one else may have written it). */
function ownedHere(stat) {
  return isMine(stat) && (Number(stat.mode) & 0o022) === 0;
}

/**
 * A file's bytes and identity, read through one descriptor: undefined when there is none, when it is not a
 * regular file or is larger than `limit`, and, for the user's cache folder (`own`), when it is a symbolic link
 * or not this user's alone. Opened without waiting (a FIFO), sized before it is read. The identity is the
 * file's device, inode, size, modification and change times: any write to a file moves its change time, which
 * no program can set back, so a file whose identity has not changed holds the same bytes.
 */
function readFile(path, { limit = Infinity, own = false } = {}) {
  let fd;
  try {
    fd = fs.openSync(path, O_RDONLY | O_NONBLOCK | (own ? O_NOFOLLOW : 0));
  } catch {
    return undefined;
  }
  try {
    const stat = fs.fstatSync(fd, { bigint: true });
    if (!stat.isFile() || stat.size > limit || (own && !ownedHere(stat))) return undefined;
    const bytes = Buffer.allocUnsafe(Number(stat.size));
    let length = 0;
    for (let read = -1; length < bytes.length && read !== 0; length += read) read = fs.readSync(fd, bytes, length, bytes.length - length, length);
    return { bytes: bytes.subarray(0, length), identity: identityOf(stat) };
  } finally {
    fs.closeSync(fd);
  }
}

/** See readFile. */
function identityOf(stat) {
  return `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
}

/** Whether `path` is a directory of this user's (following a link: `~/.cache` often is one), made if missing. */
function ownDirectory(path, mode) {
  let stat = fs.statSync(path, { throwIfNoEntry: false });
  if (stat === undefined) {
    // Made only inside a folder of this user's: never HOME itself, nor another user's folder (root under sudo).
    const parent = fs.statSync(join(path, '..'), { throwIfNoEntry: false });
    if (!parent?.isDirectory() || !isMine(parent)) return false;
    fs.mkdirSync(path, { mode });
    stat = fs.statSync(path);
  }
  return stat.isDirectory() && isMine(stat);
}

/**
 * The user's own cache folder for tcss: `$XDG_CACHE_HOME/tcss` (an absolute XDG_CACHE_HOME only, as the XDG
 * spec says) or `~/.cache/tcss`, created 0700; never a folder under os.tmpdir(), which every user of the
 * machine can write to, and from which V8 would then read code for a process that holds cloud keys. A folder
 * that is not a real directory of this user's (a symbolic link, another user's) is not used (undefined), and
 * tcss keeps nothing; one others could read or write is narrowed to 0700, and files in it that are not this
 * user's alone are never read (readFile). NODE_DISABLE_COMPILE_CACHE=1 turns it off; then no folder is made.
 */
function userCacheDir() {
  if (process.env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  const { isAbsolute } = require('node:path');
  const xdg = process.env.XDG_CACHE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(process.env.HOME || require('node:os').homedir(), '.cache');
  const dir = join(base, 'tcss');
  try {
    let stat = fs.lstatSync(dir, { throwIfNoEntry: false });
    if (stat === undefined) {
      if (!ownDirectory(base, 0o700)) return undefined;
      fs.mkdirSync(dir, { mode: 0o700 });
      stat = fs.lstatSync(dir);
    }
    if (!stat.isDirectory() || !isMine(stat)) return undefined;
    if ((stat.mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
    return dir;
  } catch {
    return undefined;
  }
}

/**
 * Writes a file whole or not at all, readable by this user only: to a new temporary file next to it (created
 * afresh, never through a link), renamed over it. Returns whether it did.
 */
function writeWhole(path, bytes) {
  const temporary = `${path}.${process.pid}-${Math.random().toString(36).slice(2, 10)}.tmp`;
  let fd;
  let made = false;
  try {
    fd = fs.openSync(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
    made = true;
    for (let written = 0; written < bytes.length; ) written += fs.writeSync(fd, bytes, written);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(temporary, path);
    return true;
  } catch {
    // A full disk, a read-only folder, something in the way: nothing is kept, and the next run does without.
    // Only a temporary file this run made is removed, never one that was there before it.
    try {
      if (fd !== undefined) fs.closeSync(fd);
      if (made) fs.rmSync(temporary, { force: true });
    } catch {
      // left for the next tidy (tidyUserCaches)
    }
    return false;
  }
}

/**
 * The script and cache pairs whose checksums were found right, by the two files' identities (readFile),
 * kept in the user's cache folder (`verified`, a line a pair, the last 16): a cache's checksums are checked
 * once, not at every start, and again whenever either file changes.
 */
class Verified {
  constructor(dir) {
    this.file = dir === undefined ? undefined : join(dir, 'verified');
    const note = this.file && fs.lstatSync(this.file, { throwIfNoEntry: false }) && readFile(this.file, { limit: MAX_NOTE_BYTES, own: true });
    this.pairs = note ? note.bytes.toString('latin1').split('\n').filter(Boolean) : [];
  }

  has(pair) {
    return this.pairs.includes(pair);
  }

  add(pair) {
    if (this.file === undefined || this.has(pair)) return;
    this.pairs = [...this.pairs, pair].slice(-16);
    writeWhole(this.file, Buffer.from(`${this.pairs.join('\n')}\n`, 'latin1'));
  }
}

/**
 * The code cache in `file`, when it was recorded for this very script, byte for byte, by this very V8, and
 * is whole: its V8 data, and the kind of run that recorded it. V8 itself refuses a cache from another version
 * or other V8 flags, but it checks only the script's length, not its text, and does not check the cache's own
 * bytes (a damaged one can crash it): the header's checksums do, once per pair of files (Verified).
 */
function cacheFor(script, file, verified, inUserFolder) {
  // Most runs find no cache of the user's: a stat says so without the cost of an error.
  const cache = fs.lstatSync(file, { throwIfNoEntry: false }) && readFile(file, { limit: MAX_CACHE_BYTES, own: inUserFolder });
  if (!cache) return undefined;
  const bytes = cache.bytes;
  // Build and V8 first: a cache for another build or Node costs no checksum (nor loading node:zlib).
  const stamp = cacheStamp(script.bytes);
  if (bytes.toString('latin1', 0, stamp.length) !== stamp) return undefined;
  const end = bytes.indexOf(10, stamp.length);
  const fields = end < 0 ? [] : bytes.toString('latin1', stamp.length, end).split(' ');
  const data = bytes.subarray(end + 1);
  if (fields.length !== 4 || fields[0] !== 'crc32' || data.length === 0) return undefined;
  const pair = `${script.identity} ${cache.identity}`;
  if (!verified.has(pair)) {
    const { crc32 } = require('node:zlib');
    if (typeof crc32 !== 'function') return undefined;
    script.crc32 ??= String(crc32(script.bytes));
    if (fields[1] !== script.crc32 || fields[2] !== String(crc32(data))) return undefined;
    verified.add(pair);
  }
  return { data, kind: fields[3] };
}

/**
 * Where tcss keeps its own code cache for this build, this V8 and these Node options (V8 refuses a cache
 * recorded under other V8 flags, a heap limit in NODE_OPTIONS, say, so each set of options has its own).
 */
function userCacheFile(dir, scriptBytes) {
  let hash = 0x811c9dc5;
  // FNV-1a of the options: a short, stable name.
  for (const char of `${process.execArgv.join('\n')}\n\n${process.env.NODE_OPTIONS ?? ''}`) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return join(dir, `v8-${scriptBytes.toString('latin1', 14, 30)}-${process.versions.v8}-${hash.toString(16).padStart(8, '0')}.cache`);
}

/** How many code caches of its own tcss keeps in the user's folder (other builds, Nodes, options): the newest written. */
const KEPT_CACHES = 8;

/** Removes the oldest of tcss's own caches beyond KEPT_CACHES, and temporary files a killed run left. */
function tidyUserCaches(dir) {
  const now = Date.now();
  const mine = [];
  for (const name of fs.readdirSync(dir)) {
    const stat = fs.lstatSync(join(dir, name), { throwIfNoEntry: false });
    if (!stat?.isFile() || !ownedHere(stat)) continue;
    if (name.endsWith('.tmp') && now - stat.mtimeMs > 60_000) fs.rmSync(join(dir, name), { force: true });
    else if (/^v8-.*\.cache$/.test(name)) mine.push({ name, mtime: stat.mtimeMs });
  }
  mine.sort((a, b) => b.mtime - a.mtime);
  for (const { name } of mine.slice(KEPT_CACHES)) fs.rmSync(join(dir, name), { force: true });
}

/**
 * Node's compile cache, for the bundles in dist/vendor/ (required as usual, on the paths that need them: the
 * wizard's prompts, cosmiconfig, js-yaml), in the user's cache folder; Node 22.1 and later have one.
 */
function enableNodeCompileCache(dir) {
  const { enableCompileCache } = require('node:module');
  if (typeof enableCompileCache === 'function' && dir !== undefined) enableCompileCache(join(dir, 'node-compile-cache'));
}

/**
 * Loads dist/tcss.cjs and returns its exports, with what became of the code cache: `cache` is 'used',
 * 'rejected' (V8 would not take it: other V8 flags) or 'none' (no cache for this script and this V8), and
 * `from` says whose: 'package' (dist/tcss.cjs.cache, recorded by the build, for the Node that built the
 * package) or 'user' (recorded by tcss itself in the user's cache folder, for any other Node or options).
 * `record(answered)`, after a command, records the user's cache when none was taken, or when the one taken
 * came from a run that had no answer to a request and this one had. `sourceMap` names the build's source map
 * (dist/tcss.cjs.map), which the CLI reads only to show a `--debug` stack trace.
 *
 * The script is compiled by vm.Script and given this file's `require` (its vendor bundles are named relative
 * to bin/ and dist/ alike: scripts/build.js). `useCache: false` (scripts/code-cache.cjs) compiles it with no
 * cache and records nothing, so that the build can record its compiled code.
 */
function loadCli({ useCache = true } = {}) {
  const file = join(DIST, 'tcss.cjs');
  const script = readFile(file);
  if (script === undefined) throw new Error(`cannot read ${SCRIPT_NAME}; reinstall tcss-cli`);
  const built = script.bytes.toString('latin1', 0, 14) === '// tcss build ';
  let dir;
  let verified;
  let own;
  let found;
  let from;
  if (useCache && built) {
    try {
      dir = userCacheDir();
      verified = new Verified(dir);
      // The user's own first: it exists only where the package's did not fit (another Node, other options).
      own = dir && userCacheFile(dir, script.bytes);
      found = own && cacheFor(script, own, verified, true);
      from = found && 'user';
      if (found === undefined) {
        found = cacheFor(script, `${file}.cache`, verified, false);
        from = found && 'package';
      }
    } catch {
      // Whatever went wrong with a cache, the command runs without one.
      found = from = undefined;
    }
  }
  const { Script } = require('node:vm');
  // The file is one function expression (scripts/build.js), compiled as it is; the build writes ASCII only, so
  // Latin-1 is its text, copied byte for byte.
  const compiled = new Script(script.bytes.toString('latin1'), { filename: SCRIPT_NAME, cachedData: found?.data });
  const cache = found === undefined ? 'none' : compiled.cachedDataRejected ? 'rejected' : 'used';
  let vendorLoaded = false;
  const scriptRequire = (id) => {
    if (!vendorLoaded && id.includes('/vendor/')) {
      vendorLoaded = true;
      enableNodeCompileCache(dir);
    }
    return require(id);
  };
  const module = { exports: {} };
  compiled.runInThisContext()(scriptRequire, module);

  /** Records the user's cache (see above); never fails a command. */
  const record = (answered) => {
    if (!own || (cache === 'used' && !(found.kind === 'local' && answered))) return;
    const data = compiled.createCachedData();
    if (!writeWhole(own, Buffer.concat([Buffer.from(cacheHeader(script.bytes, data, answered ? 'network' : 'local'), 'latin1'), data]))) return;
    try {
      verified.add(`${script.identity} ${identityOf(fs.statSync(own, { bigint: true }))}`);
      tidyUserCaches(dir);
    } catch {
      // Another tcss tidied the folder at the same moment: nothing more to do.
    }
  };
  return { exports: module.exports, script: compiled, cache, from, record, sourceMap: { file: `${file}.map`, script: file } };
}

/** Runs the command line; a command that stops without finishing (a bug) exits 1 instead of 0. */
function main(args) {
  let settled = false;
  process.on('beforeExit', () => {
    if (settled) return;
    settled = true;
    process.stderr.write('Error [Internal]: tcss stopped before the command finished; nothing more will happen. Please report it.\n');
    process.exitCode = 1;
  });
  let cli;
  try {
    cli = loadCli();
  } catch (error) {
    settled = true;
    process.stderr.write(`Error [Internal]: ${String(error?.message ?? error).split('\n')[0]}\n`);
    process.exitCode = 1;
    return;
  }
  cli.exports.run(args, { sourceMap: cli.sourceMap }).then(
    async () => {
      settled = true;
      try {
        const { requestsAnswered } = await cli.exports.finish();
        cli.record(requestsAnswered > 0);
      } catch {
        // The code cache only ever helps the next run.
      }
    },
    (error) => {
      settled = true;
      process.stderr.write(`Error [Internal]: ${String(error?.message ?? error).split('\n')[0]}\n`);
      process.exitCode = 1;
    },
  );
}

if (require.main === module) {
  let text;
  try {
    text = shortcut(process.argv.slice(2));
  } catch {
    // No usable dist/fast-paths.json, or fd 1 cannot be inspected: the full CLI answers.
  }
  if (text !== undefined) print(text);
  else main(process.argv.slice(2));
} else {
  // scripts/code-cache.cjs and the tests load the CLI the way the command does.
  module.exports = { loadCli, cacheHeader };
}
