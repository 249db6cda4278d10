// `npm run demo`: starts the built-in local endpoint on a free port, runs `tcss image-scan set` and
// `tcss image-scan get` against it with throwaway keys, and stops it. Touches no real account.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/tcss.js', import.meta.url));
// A fresh HOME, so the demo never reads your real profiles or config.
const home = mkdtempSync(join(tmpdir(), 'tcss-demo-'));
const secretId = 'AKIDDEMO0000000000000000000000000000';
const secretKey = 'demo-throwaway-key-00000000000000';

const emulator = spawn(process.execPath, [bin, 'emulator', '--port', '0'], {
  env: { PATH: process.env.PATH, HOME: home, TCSS_EMULATOR_SECRET_ID: secretId, TCSS_EMULATOR_SECRET_KEY: secretKey },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let buffered = '';
emulator.stdout.setEncoding('utf8');
const url = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error('the emulator did not start within 10 s')), 10_000);
  emulator.stdout.on('data', (chunk) => {
    buffered += chunk;
    const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(buffered);
    if (m) {
      clearTimeout(timer);
      resolve(m[1]);
    }
  });
  emulator.once('exit', (code) => reject(new Error(`the emulator exited (${code})`)));
});

const env = { PATH: process.env.PATH, HOME: home, TCSS_ENDPOINT: url, TENCENTCLOUD_SECRET_ID: secretId, TENCENTCLOUD_SECRET_KEY: secretKey };
let failed = false;
for (const args of [
  ['image-scan', 'set', '--enable', '--scan-time', '01:00', '--scan-end-time', '05:00', '--scan-period', '7'],
  ['image-scan', 'get'],
]) {
  console.log(`\n$ tcss ${args.join(' ')}`);
  const result = spawnSync(process.execPath, [bin, ...args], { env, stdio: 'inherit' });
  if (result.status !== 0) failed = true;
}
emulator.kill('SIGTERM');
await once(emulator, 'exit');
console.log(`\n(the local endpoint at ${url} has stopped)`);
rmSync(home, { recursive: true, force: true });
process.exitCode = failed ? 1 : 0;
