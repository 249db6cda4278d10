#!/usr/bin/env node
// The tcss command. CommonJS on purpose (bin/package.json), and in two steps (docs/performance.md):
// `tcss --version`, and `tcss --help` into a pipe or file, are answered from dist/fast-paths.json, written by
// the build from the real parser's output, without loading the CLI or even process.stdout; everything else
// runs dist/tcss.cjs, compiled with the V8 code cache the build recorded next to it (dist/tcss.cjs.cache),
// so V8 starts from compiled code instead of parsing and compiling the script again. Where that cache does
// not fit (another Node), the script is required as usual, with Node's compile cache where Node has one.
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
 * of the V8 that recorded it, and `crc32 <script> <cache>`, checksums of the script's bytes and of the cache's.
 * scripts/code-cache.cjs writes it; cacheFor checks it.
 */
function cacheHeader(scriptBytes, data) {
  return `${cacheStamp(scriptBytes)}${cacheChecksums(scriptBytes, data)}`;
}

/** The header's first two lines: which build, which V8. */
function cacheStamp(scriptBytes) {
  return `${scriptBytes.toString('latin1', 0, scriptBytes.indexOf(10) + 1)}v8 ${process.versions.v8}\n`;
}

/** The header's third line. */
function cacheChecksums(scriptBytes, data) {
  const { crc32 } = require('node:zlib');
  return `crc32 ${crc32(scriptBytes)} ${crc32(data)}\n`;
}

/**
 * The code cache for the script when it was recorded for this very script, byte for byte, by this very V8,
 * and arrived whole. V8 itself refuses a cache from another version or other V8 flags, but it checks only the
 * script's length, not its text, and does not check the cache's own bytes (a damaged one can crash it).
 */
function cacheFor(scriptBytes, cacheFile) {
  if (scriptBytes.toString('latin1', 0, 14) !== '// tcss build ') return undefined;
  let bytes;
  try {
    bytes = fs.readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  // Build and V8 first: a cache for another Node costs no checksum (nor loading node:zlib to make one).
  const stamp = cacheStamp(scriptBytes);
  if (bytes.toString('latin1', 0, stamp.length) !== stamp || typeof require('node:zlib').crc32 !== 'function') return undefined;
  const end = bytes.indexOf(10, stamp.length);
  if (end < 0) return undefined;
  const data = bytes.subarray(end + 1);
  return data.length > 0 && bytes.toString('latin1', stamp.length, end + 1) === cacheChecksums(scriptBytes, data) ? data : undefined;
}

/**
 * Where Node's compile cache is kept: the user's own cache folder, `$XDG_CACHE_HOME/tcss` (an absolute
 * XDG_CACHE_HOME only, as the XDG spec says) or `~/.cache/tcss`, created 0700, never Node's default under
 * os.tmpdir(), which every user of the machine can write to and from which V8 would read code for a process
 * that holds cloud keys. A folder that is not a real directory of this user's is not used (undefined): no
 * compile cache then. NODE_DISABLE_COMPILE_CACHE=1 turns it off, and then no folder is made.
 */
function compileCacheDir() {
  const { isAbsolute } = require('node:path');
  const xdg = process.env.XDG_CACHE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(require('node:os').homedir(), '.cache');
  const dir = join(base, 'tcss');
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = fs.lstatSync(dir);
    if (!stat.isDirectory() || (typeof process.getuid === 'function' && stat.uid !== process.getuid())) return undefined;
    if ((stat.mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
    return join(dir, 'node-compile-cache');
  } catch {
    return undefined;
  }
}

/**
 * Loads dist/tcss.cjs and returns its exports, with what became of the code cache: 'used', 'rejected' (V8
 * would not take it: other V8 flags), or 'none' (no cache for this script and this V8).
 *
 * With a cache, the script is compiled by vm.Script and given this file's `require` (its vendor bundles are
 * named relative to bin/ and dist/ alike: scripts/build.js). Without one, it is required as the CommonJS
 * module it also is, with Node's own compile cache on where Node has one (22.1 and later), in the user's
 * cache folder (compileCacheDir). `useCache: false` (scripts/code-cache.cjs) compiles with vm.Script and no cache,
 * and returns the script so that its compiled code can be recorded.
 */
function loadCli({ useCache = true } = {}) {
  const file = join(DIST, 'tcss.cjs');
  const bytes = fs.readFileSync(file);
  const cachedData = useCache ? cacheFor(bytes, `${file}.cache`) : undefined;
  if (useCache && cachedData === undefined) {
    const { enableCompileCache } = require('node:module');
    if (typeof enableCompileCache === 'function' && !process.env.NODE_DISABLE_COMPILE_CACHE) {
      const dir = compileCacheDir();
      if (dir !== undefined) enableCompileCache(dir);
    }
    return { exports: require(file), cache: 'none' };
  }
  const { Script } = require('node:vm');
  // One line of wrapper, so that line numbers in stack traces are the file's own.
  const script = new Script(`(function (require, module) {${bytes.toString('utf8')}\n})`, { filename: SCRIPT_NAME, cachedData });
  const cache = cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used';
  const module = { exports: {} };
  script.runInThisContext()(require, module);
  return { exports: module.exports, script, cache };
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
  loadCli()
    .exports.run(args)
    .then(
      () => (settled = true),
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
