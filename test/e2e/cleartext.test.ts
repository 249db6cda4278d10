/**
 * No cleartext detours, on the built binary: loopback traffic never goes through a proxy, plain http:// goes
 * only to an address on this machine, and a proxy that closes every CONNECT costs one connection per attempt.
 */
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/types.js';
import { ROOT, makeTempHome, runTcss, type TempHome } from '../helpers/cli.js';
import { startConnectProxy, type ConnectProxy } from '../helpers/connect-proxy.js';
import { ACCOUNT_A, startTestEmulator } from '../helpers/emulator-client.js';

const CREDS = { TENCENTCLOUD_SECRET_ID: ACCOUNT_A.secretId, TENCENTCLOUD_SECRET_KEY: ACCOUNT_A.secretKey };

let home: TempHome;
let emulator: Emulator | undefined;
let proxy: ConnectProxy | undefined;
const closers: Array<() => Promise<void>> = [];
beforeEach(async () => {
  home = await makeTempHome();
});
afterEach(async () => {
  await emulator?.close();
  await proxy?.close();
  emulator = undefined;
  proxy = undefined;
  for (const close of closers.splice(0)) await close();
  await home.cleanup();
});

/** A real HTTP server on 127.0.0.1 that counts the requests it gets. */
async function countingServer(): Promise<{ port: number; requests: () => number }> {
  let requests = 0;
  const server: Server = createServer((_req, res) => {
    requests += 1;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"Response":{"RequestId":"r"}}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { port: (server.address() as AddressInfo).port, requests: () => requests };
}

describe('loopback traffic never goes through a proxy', () => {
  it('whatever HTTP_PROXY, HTTPS_PROXY or --proxy say', async () => {
    emulator = await startTestEmulator();
    proxy = await startConnectProxy();
    for (const setting of [{ env: { HTTP_PROXY: proxy.url, http_proxy: proxy.url }, args: [] }, { env: {}, args: ['--proxy', proxy.url] }]) {
      const result = await runTcss(['image-scan', 'get', '--endpoint', emulator.url, ...setting.args], { home: home.dir, env: { ...CREDS, ...setting.env } });
      expect(result.stderr).toBe('');
      expect(result.exitCode).toBe(0);
    }
    expect(proxy.connects).toEqual([]);
    expect(proxy.plainRequests).toBe(0);
  });
});

describe('plain http:// only to an address on this machine', () => {
  it('refuses a .localhost name that resolves elsewhere before a byte is sent', async () => {
    const server = await countingServer();
    // 0.0.0.0 is not a loopback address, yet on Linux a connection to it reaches this machine's listeners:
    // the server would see the request if tcss connected.
    const result = await runTcss(['image-scan', 'get', '--endpoint', `http://tcss.localhost:${server.port}`, '--retries', '0'], {
      home: home.dir,
      env: { ...CREDS, NODE_OPTIONS: `--require ${join(ROOT, 'test/helpers/hostile-dns.cjs')}`, HOSTILE_DNS_ADDRESS: '0.0.0.0' },
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      'Error [Usage.InvalidValue]: tcss.localhost resolves to 0.0.0.0, which is not on this machine: plain http:// is only for loopback addresses; nothing was sent\nhint: use https://, or http://127.0.0.1 for the local emulator\n',
    );
    expect(server.requests()).toBe(0);
  });

  it('still sends to a .localhost name that resolves to a loopback address', async () => {
    const server = await countingServer();
    const result = await runTcss(['image-scan', 'get', '--endpoint', `http://tcss.localhost:${server.port}`, '--output', 'json'], {
      home: home.dir,
      env: { ...CREDS, NODE_OPTIONS: `--require ${join(ROOT, 'test/helpers/hostile-dns.cjs')}`, HOSTILE_DNS_ADDRESS: '127.0.0.1' },
    });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(server.requests()).toBe(1);
  });
});

describe('a proxy that closes every CONNECT', () => {
  it('costs one connection per attempt, and the error says the proxy closed the tunnel', async () => {
    let connections = 0;
    const server: NetServer = createNetServer((socket) => {
      connections += 1;
      socket.on('error', () => undefined);
      socket.once('data', () => socket.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    const port = (server.address() as AddressInfo).port;
    const result = await runTcss(['image-scan', 'get', '--proxy', `http://127.0.0.1:${port}`, '--timeout', '3', '--retries', '1'], {
      home: home.dir,
      env: { ...CREDS, TCSS_RETRY_BASE_MS: '10' },
    });
    expect(result.exitCode).toBe(4);
    expect(result.stderr.split('\n')[0]).toBe(`Error [Network.Reset]: the proxy closed the tunnel to tcss.intl.tencentcloudapi.com before answering CONNECT (through the proxy http://127.0.0.1:${port}); gave up after 2 attempts`);
    expect(connections).toBe(2);
  });
});
