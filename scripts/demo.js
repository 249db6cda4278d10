// `npm run demo`: starts the built-in local endpoint on a free port, runs `tcss image-scan set` and
// `tcss image-scan get` against it with throwaway keys, and stops it. Touches no real account.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import emulatorProcess from './emulator-process.cjs';

const { startEmulatorProcess } = emulatorProcess;

const bin = fileURLToPath(new URL('../bin/tcss.js', import.meta.url));
// A fresh HOME, so the demo never reads your real profiles or config.
const home = mkdtempSync(join(tmpdir(), 'tcss-demo-'));
const secretId = 'AKIDDEMO0000000000000000000000000000';
const secretKey = 'demo-throwaway-key-00000000000000';

const emulator = await startEmulatorProcess({ env: { PATH: process.env.PATH, HOME: home }, secretId, secretKey });
const url = emulator.url;

const env = { PATH: process.env.PATH, HOME: home, TCSS_ENDPOINT: url, TENCENTCLOUD_SECRET_ID: secretId, TENCENTCLOUD_SECRET_KEY: secretKey };
let failed = false;
for (const args of [
  ['image-scan', 'set', '--enable', '--scan-time', '01:00', '--scan-end-time', '05:00', '--scan-period', '7', '--scan-virus', '--scan-risk', '--scan-vul'],
  ['image-scan', 'get'],
]) {
  console.log(`\n$ tcss ${args.join(' ')}`);
  const result = spawnSync(process.execPath, [bin, ...args], { env, stdio: 'inherit' });
  if (result.status !== 0) failed = true;
}
await emulator.stop();
console.log(`\n(the local endpoint at ${url} has stopped)`);
rmSync(home, { recursive: true, force: true });
process.exitCode = failed ? 1 : 0;
