import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ACTION_DESCRIBE } from '../../src/core/api-model.js';
import { parseEndpoint } from '../../src/core/http/endpoint.js';
import { InterruptedError, NetworkError } from '../../src/core/errors.js';
import { callApiReliably } from '../../src/core/api/reliable-call.js';
import type { Emulator } from '../../src/emulator/types.js';
import { ACCOUNT_A, startTestEmulator } from '../helpers/emulator-client.js';

let emu: Emulator | undefined;
let server: Server | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
  server?.closeAllConnections();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

const credentials = { ...ACCOUNT_A, source: 'test' } as const;

function call(url: string) {
  return { action: ACTION_DESCRIBE, body: {}, endpoint: parseEndpoint(url), credentials } as Parameters<typeof callApiReliably>[0];
}

describe('callApiReliably', () => {
  it('signs every attempt afresh with the clock at that attempt', async () => {
    emu = await startTestEmulator();
    emu.injectFault({ kind: 'status', status: 503, times: 2 });
    let now = Date.now() - 60_000;
    const res = await callApiReliably(call(emu.url), {
      timeoutMs: 2000,
      retries: 2,
      retryBaseMs: 0,
      clock: () => (now += 20_000),
    });
    expect(res.RequestId).toEqual(expect.any(String));
    const stamps = emu.requests.map((r) => Number(r.headers['x-tc-timestamp']));
    expect(stamps).toHaveLength(3);
    expect(stamps[1]! - stamps[0]!).toBe(20);
    expect(stamps[2]! - stamps[1]!).toBe(20);
  });

  it('awaits beforeAttempt before every attempt, outside the timeout; what it throws ends the call', async () => {
    emu = await startTestEmulator();
    emu.injectFault({ kind: 'status', status: 503, times: 2 });
    const seen: number[] = [];
    const controller = new AbortController();
    await callApiReliably(call(emu.url), {
      timeoutMs: 100,
      retries: 2,
      retryBaseMs: 0,
      clock: Date.now,
      signal: controller.signal,
      beforeAttempt: async (signal) => {
        expect(signal).toBe(controller.signal);
        seen.push(emu!.requests.length);
        if (seen.length === 1) await new Promise((r) => setTimeout(r, 150));
      },
    });
    // Called before each of the three requests; a 150 ms wait in it did not count against the 100 ms timeout.
    expect(seen).toEqual([0, 1, 2]);
    expect(emu.requests).toHaveLength(3);

    emu.resetRequests();
    emu.injectFault({ kind: 'status', status: 503 });
    let calls = 0;
    const refused = callApiReliably(call(emu.url), {
      timeoutMs: 2000,
      retries: 3,
      retryBaseMs: 0,
      clock: Date.now,
      beforeAttempt: async () => {
        if (++calls === 2) throw new InterruptedError();
      },
    });
    await expect(refused).rejects.toBeInstanceOf(InterruptedError);
    expect(emu.requests).toHaveLength(1);
  });

  it('a body that trickles in (which undici\'s idle timer never catches) is cut off at the timeout', async () => {
    let requests = 0;
    server = createServer((_req, res) => {
      requests += 1;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const timer = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const started = performance.now();
    await expect(callApiReliably(call(url), { timeoutMs: 300, retries: 1, retryBaseMs: 0, clock: Date.now })).rejects.toMatchObject({
      code: 'Network.Timeout',
      message: `no complete answer from ${new URL(url).host} within 0.3s; gave up after 2 attempts`,
    });
    expect(requests).toBe(2);
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('the user abort wins: InterruptedError, not a timeout', async () => {
    server = createServer(() => undefined);
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(callApiReliably(call(url), { timeoutMs: 5000, retries: 2, retryBaseMs: 0, clock: Date.now, signal: controller.signal })).rejects.toBeInstanceOf(
      InterruptedError,
    );
  });

  it('a proxy that never answers CONNECT: the attempt ends at the timeout, not at undici\'s coarser timer', async () => {
    emu = await startTestEmulator();
    const held: Socket[] = [];
    const silent = createTcpServer((socket) => void held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    try {
      const started = performance.now();
      const error = await callApiReliably(call(emu.url), {
        timeoutMs: 300,
        retries: 0,
        retryBaseMs: 0,
        clock: Date.now,
        proxy: { url: new URL(`http://127.0.0.1:${port}`), from: '--proxy' },
      }).catch((e: unknown) => e);
      const elapsed = performance.now() - started;
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as NetworkError).code).toBe('Network.Timeout');
      expect(held).toHaveLength(1);
      // undici alone gave up half a second or more after the timeout.
      expect(elapsed).toBeGreaterThanOrEqual(290);
      expect(elapsed).toBeLessThan(300 + 250);
      expect(emu.requests).toHaveLength(0);
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
