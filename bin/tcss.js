#!/usr/bin/env node
// The tcss command. CommonJS on purpose (bin/package.json): `tcss --version` and `tcss --help` into a pipe
// are answered from dist/fast-paths.json, written by the build from the real parser's output, without
// starting Node's ES-module loader at all; everything else loads dist/cli.js (README "Performance").
'use strict';

const args = process.argv.slice(2);
const only = args.length === 1 ? args[0] : undefined;
const fast = only === '--version' || only === '-V' || ((only === '--help' || only === '-h') && !process.stdout.isTTY);
let answered = false;
if (fast) {
  try {
    const { readFileSync } = require('node:fs');
    const { join } = require('node:path');
    const paths = JSON.parse(readFileSync(join(__dirname, '..', 'dist', 'fast-paths.json'), 'utf8'));
    const text = only === '--version' || only === '-V' ? `${paths.version}\n` : paths.help;
    if (typeof text === 'string' && text !== '') {
      process.stdout.write(text);
      answered = true;
    }
  } catch {
    // No usable dist/fast-paths.json: the full CLI answers below.
  }
}
if (!answered) {
  // Node >= 22.1 keeps V8's compiled code on disk between runs (it honours NODE_DISABLE_COMPILE_CACHE);
  // older versions have no such call and start as they always did.
  require('node:module').enableCompileCache?.();
  import('../dist/cli.js');
}
