// `tcss emulator --port 0` from the build, in a child process, for the scripts that need a local endpoint: the
// build's code-cache step, `npm run demo` and `npm run bench`. Resolves once the emulator prints its address.
'use strict';

const { spawn } = require('node:child_process');
const { join } = require('node:path');

const BIN = join(__dirname, '..', 'bin', 'tcss.js');

/**
 * Starts the emulator with one account (`secretId`/`secretKey`, passed in its environment, never on its
 * command line) and resolves with its URL (`http://127.0.0.1:PORT`, no trailing slash) and a `stop()` that
 * resolves when it has exited.
 *
 * @param {{ env: Record<string, string | undefined>, secretId: string, secretKey: string, timeoutMs?: number }} options
 * @returns {Promise<{ url: string, stop: () => Promise<void> }>}
 */
function startEmulatorProcess({ env, secretId, secretKey, timeoutMs = 10_000 }) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'emulator', '--port', '0'], {
      env: { ...env, TCSS_EMULATOR_SECRET_ID: secretId, TCSS_EMULATOR_SECRET_KEY: secretKey },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const fail = (message) => {
      clearTimeout(timer);
      child.kill();
      reject(new Error(`${message}${err ? `\n${err.trimEnd()}` : ''}`));
    };
    const onExit = (code) => fail(`the emulator exited with ${code} before listening`);
    const timer = setTimeout(() => fail(`the emulator did not start within ${timeoutMs / 1000} s`), timeoutMs);
    child.on('error', (error) => fail(`cannot start the emulator: ${error.message}`));
    child.on('exit', onExit);
    child.stderr.setEncoding('utf8').on('data', (chunk) => (err += chunk));
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (!match) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      // From here on its output is read and dropped, so that a full pipe never blocks it.
      for (const stream of [child.stdout, child.stderr]) stream.removeAllListeners('data').resume();
      // SIGTERM, and SIGKILL if it has not exited within 5 s.
      const stop = () =>
        new Promise((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          const force = setTimeout(() => child.kill('SIGKILL'), 5000);
          child.once('exit', () => {
            clearTimeout(force);
            done();
          });
          child.kill('SIGTERM');
        });
      resolve({ url: match[1], stop });
    });
  });
}

module.exports = { startEmulatorProcess };
