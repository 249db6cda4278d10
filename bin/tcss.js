#!/usr/bin/env node
// The tcss command. CommonJS on purpose (bin/package.json): `tcss --version`, and `tcss --help` into a pipe
// or file, are answered from dist/fast-paths.json, written by the build from the real parser's output,
// without starting Node's ES-module loader or even process.stdout; everything else loads dist/cli.js
// (README "Performance").
'use strict';

const fs = require('node:fs');
const { join } = require('node:path');

/** The shortcut's text for this argument list, or undefined when the full CLI must answer. */
function shortcut(args) {
  if (args.length !== 1) return undefined;
  const version = args[0] === '--version' || args[0] === '-V';
  // Help is recorded at 80 columns, as commander prints it when stdout is not a terminal.
  const help = (args[0] === '--help' || args[0] === '-h') && !fs.fstatSync(1).isCharacterDevice();
  if (!version && !help) return undefined;
  const recorded = JSON.parse(fs.readFileSync(join(__dirname, '..', 'dist', 'fast-paths.json'), 'utf8'));
  const text = version ? (recorded.version ? `${recorded.version}\n` : '') : recorded.help;
  return typeof text === 'string' && text !== '' ? text : undefined;
}

let text;
try {
  text = shortcut(process.argv.slice(2));
} catch {
  // No usable dist/fast-paths.json, or fd 1 cannot be inspected: the full CLI answers.
}
if (text !== undefined) {
  const bytes = Buffer.from(text);
  let written = 0;
  try {
    while (written < bytes.length) written += fs.writeSync(1, bytes, written);
  } catch (error) {
    // A reader that went away (`tcss --help | head -1`): the output ends there, as in the full CLI.
    if (error.code === 'EPIPE') process.exit(0);
    // A non-blocking pipe that is full: hand the rest to the stream, which waits for the reader.
    if (error.code !== 'EAGAIN') throw error;
    process.stdout.write(bytes.subarray(written));
  }
} else {
  // Node >= 22.1 keeps V8's compiled code on disk between runs (it honours NODE_DISABLE_COMPILE_CACHE);
  // older versions have no such call and start as they always did.
  require('node:module').enableCompileCache?.();
  import('../dist/cli.js');
}
