// Records V8's code cache for dist/tcss.cjs (the last step of `npm run build`; docs/performance.md).
//
// It loads the script the way bin/tcss.js does, runs the commands scripts run most (image-scan set and get
// against a local emulator, a dry run, a command's help) so that V8 compiles the functions they call, then
// asks V8 for the compiled code and writes it to dist/tcss.cjs.cache, after the build's name and V8's
// version (see bin/tcss.js). The runs use a throwaway key pair and a temporary HOME; nothing of them is kept.
'use strict';

const { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { Writable } = require('node:stream');
const { startEmulatorProcess } = require('./emulator-process.cjs');

const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'bin', 'tcss.js');
const SECRET_ID = 'AKIDcodecache000000000000000000000000';
const SECRET_KEY = 'codeCacheKey0000000000000000000000';

async function main() {
  const home = mkdtempSync(join(tmpdir(), 'tcss-code-cache-'));
  const env = { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: join(home, '.config'), NO_COLOR: '1' };
  let emulator;
  // Interrupted (Ctrl-C on the build): no temporary HOME or emulator left behind.
  const onSignal = () => {
    rmSync(home, { recursive: true, force: true });
    void emulator?.stop();
    process.exit(130);
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    emulator = await startEmulatorProcess({ env, secretId: SECRET_ID, secretKey: SECRET_KEY });
    // V8 stamps a cache with its flags and refuses it under others. The requests run here compile undici's
    // WebAssembly parser with a V8 flag set, and finish() sets it back (src/core/http/process-state.ts): V8's
    // flags are the default ones again when the cache is taken, as they are when a command compiles the script.
    const { cacheHeader, loadCli } = require(BIN);
    const cli = loadCli({ useCache: false });
    Object.assign(process.env, env, { TENCENTCLOUD_SECRET_ID: SECRET_ID, TENCENTCLOUD_SECRET_KEY: SECRET_KEY });
    for (const key of Object.keys(process.env)) if (!(key in env) && !key.startsWith('TENCENTCLOUD_')) delete process.env[key];
    process.chdir(home);
    const endpoint = ['--endpoint', emulator.url];
    const runs = [
      ['image-scan', 'set', '--enable', '--scan-time', '01:00', ...endpoint],
      ['image-scan', 'get', ...endpoint],
      ['image-scan', 'set', '--enable', '--scan-time', '01:00', '--dry-run', ...endpoint],
      ['image-scan', 'set', '--help'],
    ];
    // The commands print to process.stdout and stderr: kept out of the build log, shown only if one fails.
    const captured = [];
    const capture = new Writable({
      write: (chunk, _encoding, done) => {
        captured.push(String(chunk));
        done();
      },
    });
    const writes = [process.stdout.write, process.stderr.write];
    process.stdout.write = process.stderr.write = capture.write.bind(capture);
    try {
      for (const args of runs) {
        captured.length = 0;
        const code = await cli.exports.run(args);
        if (code !== 0) throw new Error(`code-cache: tcss ${args.join(' ')} exited with ${code}:\n${captured.join('')}`);
      }
    } finally {
      [process.stdout.write, process.stderr.write] = writes;
      process.exitCode = 0;
    }
    await cli.exports.finish();
    const data = cli.script.createCachedData();
    const script = readFileSync(join(ROOT, 'dist', 'tcss.cjs'));
    // Written whole or not at all: a half-written cache is never left for bin/tcss.js to read.
    const target = join(ROOT, 'dist', 'tcss.cjs.cache');
    writeFileSync(`${target}.tmp`, Buffer.concat([Buffer.from(cacheHeader(script, data, 'network'), 'latin1'), data]));
    renameSync(`${target}.tmp`, target);
    process.stdout.write(`code cache: ${data.length} bytes for dist/tcss.cjs (node ${process.version})\n`);
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    await emulator?.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
