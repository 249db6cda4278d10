/**
 * How the built binary ends when it is stopped or cannot write: SIGTERM exits 143 (SIGINT 130), and the fast
 * paths (`--version`, `--help` into a file) report a failed write with the documented line and exit 1.
 */
import { execa } from 'execa';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, makeTempHome, type TempHome } from '../helpers/cli.js';
import { ACCOUNT_A } from '../helpers/emulator-client.js';

let home: TempHome;
beforeEach(async () => {
  home = await makeTempHome();
});
afterEach(async () => {
  await home.cleanup();
});

describe('signals', () => {
  let server: Server;
  let requests = 0;
  beforeEach(async () => {
    requests = 0;
    // An API that never answers: the request is in flight when the signal comes.
    server = createServer(() => void (requests += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('%s while a request is in flight: exit %d, one line, nothing more sent', async (signal, code) => {
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const child = execa('node', [BIN, 'image-scan', 'get', '--endpoint', endpoint, '--timeout', '20'], {
      env: cleanEnv(home.dir, { TENCENTCLOUD_SECRET_ID: ACCOUNT_A.secretId, TENCENTCLOUD_SECRET_KEY: ACCOUNT_A.secretKey }),
      extendEnv: false,
      reject: false,
      timeout: 15_000,
    });
    for (let i = 0; i < 200 && requests === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(requests).toBe(1);
    child.kill(signal);
    const result = await child;
    expect(result.exitCode).toBe(code);
    expect(result.stderr).toBe('Error [Interrupted]: Interrupted; the request was aborted.');
    expect(requests).toBe(1);
  });
});

describe('the fast paths cannot write', () => {
  const line = (code: string): string => `Error [Output.WriteFailed]: could not write to standard output (${code}); what the command printed is incomplete\n`;

  it.each([['--version'], ['-V'], ['--help'], ['-h']])('tcss %s > /dev/full, and into a read-only descriptor: the documented line, exit 1', async (flag) => {
    const full = await execa('sh', ['-c', `node "${BIN}" ${flag} > /dev/full`], { env: cleanEnv(home.dir), extendEnv: false, reject: false });
    expect(full.exitCode).toBe(1);
    expect(full.stderr).toBe(line('ENOSPC').trimEnd());
    // A regular file open for reading only as standard output: the shortcut (not the full CLI) answers --help too.
    const file = await home.file('out.txt', '');
    const readOnly = await execa('sh', ['-c', `node "${BIN}" ${flag} 1< "${join(file)}"`], { env: cleanEnv(home.dir), extendEnv: false, reject: false });
    expect(readOnly.exitCode).toBe(1);
    expect(readOnly.stderr).toBe(line('EBADF').trimEnd());
  });
});
