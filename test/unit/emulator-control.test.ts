import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator, RecordedRequest } from '../../src/emulator/types.js';
import { callApi, errorCode, rawRequest, startTestEmulator } from '../helpers/emulator-client.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe('emulator: HTTP control API', () => {
  it('lists and clears recorded requests, and does not record itself', async () => {
    emulator = await startTestEmulator();
    await callApi(emulator);
    const listed = await rawRequest(emulator.url, { method: 'GET', path: '/_emulator/requests' });
    expect(listed.status).toBe(200);
    const requests = JSON.parse(listed.text) as RecordedRequest[];
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ action: 'DescribeAssetImageScanSetting', status: 200 });
    const cleared = await rawRequest(emulator.url, { method: 'DELETE', path: '/_emulator/requests' });
    expect(cleared.status).toBe(204);
    expect(emulator.requests).toHaveLength(0);
  });

  it('queues a fault or an array of faults, and clears them', async () => {
    emulator = await startTestEmulator();
    const one = await rawRequest(emulator.url, { path: '/_emulator/faults', body: JSON.stringify({ kind: 'api-error', code: 'InternalError' }) });
    expect(JSON.parse(one.text)).toEqual({ queued: 1 });
    const two = await rawRequest(emulator.url, {
      path: '/_emulator/faults',
      body: JSON.stringify([{ kind: 'api-error', code: 'FailedOperation' }, { kind: 'status', code: '503' }]),
    });
    expect(JSON.parse(two.text)).toEqual({ queued: 2 });
    expect(errorCode(await callApi(emulator))).toBe('InternalError');
    expect(errorCode(await callApi(emulator))).toBe('FailedOperation');
    const cleared = await rawRequest(emulator.url, { method: 'DELETE', path: '/_emulator/faults' });
    expect(cleared.status).toBe(204);
    expect(errorCode(await callApi(emulator))).toBeUndefined();
    expect(emulator.requests).toHaveLength(3);
  });

  it('refuses a bad fault with 400 and queues none of the batch', async () => {
    emulator = await startTestEmulator();
    for (const body of ['not json', JSON.stringify({ kind: 'nope' }), JSON.stringify([{ kind: 'reset' }, { kind: 'reset', times: -1 }])]) {
      const res = await rawRequest(emulator.url, { path: '/_emulator/faults', body });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text)).toMatchObject({ error: expect.any(String) });
    }
    expect(errorCode(await callApi(emulator))).toBeUndefined();
  });

  it('answers 405 and 404 for other control requests', async () => {
    emulator = await startTestEmulator();
    expect((await rawRequest(emulator.url, { method: 'PUT', path: '/_emulator/faults', body: '{}' })).status).toBe(405);
    expect((await rawRequest(emulator.url, { method: 'GET', path: '/_emulator/nothing' })).status).toBe(404);
    expect(emulator.requests).toHaveLength(0);
  });
});

describe('emulator: control API only for local programs', () => {
  const post = (emu: Emulator, headers: Record<string, string>) =>
    rawRequest(emu.url, { path: '/_emulator/faults', headers: { 'Content-Type': 'text/plain', ...headers }, body: JSON.stringify({ kind: 'reset' }) });

  it.each([
    ['a foreign Origin (a web page)', (p: number) => ({ Host: `127.0.0.1:${p}`, Origin: 'https://evil.example' })],
    ['Origin null', (p: number) => ({ Host: `127.0.0.1:${p}`, Origin: 'null' })],
    ['an Origin on another port', (p: number) => ({ Host: `127.0.0.1:${p}`, Origin: `http://127.0.0.1:${p + 1}` })],
    ['a rebound DNS name as Host', (p: number) => ({ Host: `evil.example:${p}` })],
    ['Host without the port', () => ({ Host: '127.0.0.1' })],
    ['Host on another port', (p: number) => ({ Host: `127.0.0.1:${p + 1}` })],
  ])('refuses %s with 403, for every route', async (_name, headers) => {
    emulator = await startTestEmulator();
    const h = headers(emulator.port);
    expect((await post(emulator, h)).status).toBe(403);
    for (const method of ['GET', 'DELETE']) {
      expect((await rawRequest(emulator.url, { method, path: '/_emulator/requests', headers: h })).status).toBe(403);
    }
    expect((await rawRequest(emulator.url, { method: 'DELETE', path: '/_emulator/faults', headers: h })).status).toBe(403);
    // Nothing was queued: the next API request is answered normally.
    expect(errorCode(await callApi(emulator))).toBeUndefined();
  });

  it.each([
    ['127.0.0.1:PORT, no Origin', (p: number) => ({ Host: `127.0.0.1:${p}` })],
    ['localhost:PORT, no Origin', (p: number) => ({ Host: `localhost:${p}` })],
    ['its own Origin', (p: number) => ({ Host: `127.0.0.1:${p}`, Origin: `http://127.0.0.1:${p}` })],
  ])('accepts %s', async (_name, headers) => {
    emulator = await startTestEmulator();
    const res = await post(emulator, headers(emulator.port));
    expect(res.status).toBe(200);
    await expect(callApi(emulator, { timeoutMs: 2000 })).rejects.toThrow();
  });
});

describe('emulator: the request log is bounded', () => {
  it('keeps the last 1000 records and 16 KiB of each body, also after DELETE', async () => {
    emulator = await startTestEmulator({ rateLimitPerSecond: 0 });
    const big = JSON.stringify({ Images: ['x'.repeat(900 * 1024)] });
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 3; i++) await callApi(emulator, { action: 'CreateAssetImageScanSetting', body: big });
      for (const r of emulator.requests) {
        expect(Buffer.byteLength(r.body)).toBeLessThanOrEqual(16 * 1024);
        expect(r.bodyTruncated).toBe(true);
      }
      expect((await rawRequest(emulator.url, { method: 'DELETE', path: '/_emulator/requests' })).status).toBe(204);
      expect(emulator.requests).toHaveLength(0);
    }
    await Promise.all(Array.from({ length: 1010 }, () => callApi(emulator as Emulator, { timeoutMs: 20_000 })));
    expect(emulator.requests).toHaveLength(1000);
    const listed = JSON.parse((await rawRequest(emulator.url, { method: 'GET', path: '/_emulator/requests' })).text) as RecordedRequest[];
    expect(listed).toHaveLength(1000);
  });
});

describe('emulator: log lines', () => {
  it('escape an injected fault code: no raw control character, newline or space reaches the log', async () => {
    const lines: string[] = [];
    emulator = await startTestEmulator({ log: (line) => lines.push(line) });
    const res = await rawRequest(emulator.url, {
      path: '/_emulator/faults',
      body: JSON.stringify({ kind: 'api-error', code: 'Bad\nFAKE 2026-01-01T00:00:00.000Z Describe AKID OK x\u001b[31m\\' }),
    });
    expect(res.status).toBe(200);
    await callApi(emulator);
    expect(lines).toHaveLength(1);
    const [line] = lines as [string];
    expect(line).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(line).toContain('Bad\\x0aFAKE\\x20');
    expect(line).toContain('\\x1b[31m\\\\');
    expect(line.split(' ')).toHaveLength(6);
    expect(line.endsWith(' fault:api-error')).toBe(true);
  });
});
