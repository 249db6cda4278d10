import { request, type IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { HUGE_BODY_BYTES } from '../../src/emulator/faults.js';
import type { Emulator, FaultSpec } from '../../src/emulator/types.js';
import { ACCOUNT_A, VALID_CREATE, callApi, errorCode, rawRequest, startTestEmulator } from '../helpers/emulator-client.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function withFault(fault: FaultSpec): Promise<Emulator> {
  emulator = await startTestEmulator();
  emulator.injectFault(fault);
  return emulator;
}

/** Signed request via node:http that hands back the raw response object (for streaming answers). */
function openResponse(emu: Emulator): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(emu.url, { method: 'POST', agent: false, headers: { 'Content-Type': 'application/json' } }, resolve);
    req.on('error', reject);
    req.end('{}');
  });
}

describe('emulator: injected faults', () => {
  it('api-error answers the given code in the API envelope, and is recorded', async () => {
    const emu = await withFault({ kind: 'api-error', code: 'RequestLimitExceeded', message: 'slow down' });
    const res = await callApi(emu);
    expect(res.json.Response).toEqual({ Error: { Code: 'RequestLimitExceeded', Message: 'slow down' }, RequestId: expect.any(String) });
    expect(emu.requests[0]).toMatchObject({ fault: 'api-error', errorCode: 'RequestLimitExceeded', status: 200 });
    expect(errorCode(await callApi(emu))).toBeUndefined();
  });

  it('api-error defaults to InternalError', async () => {
    const emu = await withFault({ kind: 'api-error' });
    expect(errorCode(await callApi(emu))).toBe('InternalError');
  });

  it.each([
    [{ kind: 'status' } as FaultSpec, 503],
    [{ kind: 'status', code: '502' } as FaultSpec, 502],
    [{ kind: 'status', status: 500 } as FaultSpec, 500],
  ])('status %j answers HTTP %i with a short text body', async (fault, status) => {
    const emu = await withFault(fault);
    const res = await rawRequest(emu.url, { body: '{}' });
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(new RegExp(`^${status} `));
    expect(emu.requests[0]).toMatchObject({ fault: 'status', status });
  });

  it('html answers a 502 proxy page', async () => {
    const emu = await withFault({ kind: 'html' });
    const res = await rawRequest(emu.url, { body: '{}' });
    expect(res.status).toBe(502);
    expect(res.headers['content-type']).toBe('text/html');
    expect(res.text).toContain('<title>502 Bad Gateway</title>');
  });

  it('not-json answers 200 text/plain', async () => {
    const emu = await withFault({ kind: 'not-json' });
    const res = await rawRequest(emu.url, { body: '{}' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(() => JSON.parse(res.text)).toThrow();
  });

  it('truncated-json answers a complete HTTP message whose JSON stops half-way', async () => {
    const emu = await withFault({ kind: 'truncated-json' });
    const res = await rawRequest(emu.url, { body: '{}' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    expect(res.text.startsWith('{"Response":')).toBe(true);
    expect(() => JSON.parse(res.text)).toThrow(SyntaxError);
  });

  it('no-response-key answers JSON without Response', async () => {
    const emu = await withFault({ kind: 'no-response-key' });
    const res = await rawRequest(emu.url, { body: '{}' });
    const json = JSON.parse(res.text) as Record<string, unknown>;
    expect(json.Response).toBeUndefined();
    expect(json.RequestId).toEqual(expect.any(String));
  });

  it('no-request-id answers normally without RequestId, and still stores a Create', async () => {
    const emu = await withFault({ kind: 'no-request-id', times: 2 });
    const created = await callApi(emu, { action: 'CreateAssetImageScanSetting', body: VALID_CREATE });
    expect(created.json).toEqual({ Response: {} });
    const described = await callApi(emu);
    expect(described.json.Response.RequestId).toBeUndefined();
    expect(described.json.Response.Enable).toBe(true);
    expect(emu.requests.map((r) => r.fault)).toEqual(['no-request-id', 'no-request-id']);
    expect(emu.requests[0]?.requestId).toBeUndefined();
  });

  it('invalid-utf8 answers bytes that are not UTF-8', async () => {
    const emu = await withFault({ kind: 'invalid-utf8' });
    const res = await rawRequest(emu.url, { body: '{}' });
    expect(res.status).toBe(200);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(res.body)).toThrow();
  });

  it('redirect answers 302 to a path that is not the API', async () => {
    const emu = await withFault({ kind: 'redirect' });
    const res = await rawRequest(emu.url, { body: '{}' });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`${emu.url}/redirected`);
    const followed = await rawRequest(emu.url, { path: '/redirected', body: '{}' });
    expect(followed.status).toBe(404);
  });

  it('reset destroys the connection without an answer', async () => {
    const emu = await withFault({ kind: 'reset' });
    await expect(rawRequest(emu.url, { body: '{}' })).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|EPIPE/) });
    expect(emu.requests[0]).toMatchObject({ fault: 'reset', status: 0 });
  });

  it('stall-headers never answers; the client times out, and close() frees it', async () => {
    const emu = await withFault({ kind: 'stall-headers', times: 2 });
    await expect(rawRequest(emu.url, { body: '{}', timeoutMs: 200 })).rejects.toThrow(/timed out/);
    const pending = rawRequest(emu.url, { body: '{}', timeoutMs: 10_000 });
    await expect.poll(() => emu.requests.length).toBe(2);
    const started = Date.now();
    await emu.close();
    emulator = undefined;
    await expect(pending).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('stall-body sends headers and half a body, then hangs until close()', async () => {
    const emu = await withFault({ kind: 'stall-body' });
    const res = await openResponse(emu);
    expect(res.statusCode).toBe(200);
    const received: Buffer[] = [];
    const ended = new Promise<string>((resolve) => {
      res.on('data', (c: Buffer) => received.push(c));
      res.on('end', () => resolve('end'));
      res.on('aborted', () => resolve('aborted'));
      res.on('error', () => resolve('aborted'));
    });
    await expect.poll(() => received.length).toBeGreaterThan(0);
    expect(Buffer.concat(received).length).toBeLessThan(Number(res.headers['content-length']));
    await emu.close();
    emulator = undefined;
    expect(await ended).toBe('aborted');
  });

  it('huge-body streams 32 MiB honouring back-pressure, without holding it in memory', async () => {
    const emu = await withFault({ kind: 'huge-body' });
    const res = await openResponse(emu);
    expect(Number(res.headers['content-length'])).toBe(HUGE_BODY_BYTES);
    expect(HUGE_BODY_BYTES).toBeGreaterThan(20 * 1024 * 1024);
    // A client that stops reading: a server ignoring back-pressure would now buffer the 32 MiB in memory.
    res.pause();
    const before = process.memoryUsage().arrayBuffers;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(8 * 1024 * 1024);
    // The emulator is still waiting for 'drain' (it records the answer only once the body is fully written).
    expect(emu.requests[0]?.status).toBe(0);
    let total = 0;
    await new Promise<void>((resolve, reject) => {
      res.on('data', (c: Buffer) => {
        total += c.length;
      });
      res.on('end', resolve);
      res.on('error', reject);
      res.resume();
    });
    expect(total).toBe(HUGE_BODY_BYTES);
    await expect.poll(() => emu.requests[0]?.status).toBe(200);
  });

  it('huge-body stops when the client goes away', async () => {
    const emu = await withFault({ kind: 'huge-body' });
    const res = await openResponse(emu);
    await new Promise<void>((resolve) => res.once('data', () => resolve()));
    res.destroy();
    await expect.poll(() => emu.requests[0]?.status, { timeout: 2000 }).toBe(200);
    expect(errorCode(await callApi(emu))).toBeUndefined();
  });

  it('delay answers normally after delayMs', async () => {
    const emu = await withFault({ kind: 'delay', delayMs: 300 });
    const started = Date.now();
    const res = await callApi(emu);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(errorCode(res)).toBeUndefined();
    expect(emu.requests[0]).toMatchObject({ fault: 'delay', status: 200 });
  });

  it('delayMs applies to any kind, and close() during a delay does not hang', async () => {
    const emu = await withFault({ kind: 'api-error', delayMs: 60_000 });
    const pending = rawRequest(emu.url, { body: '{}', timeoutMs: 10_000 });
    await expect.poll(() => emu.requests.length).toBe(1);
    const closedAt = Date.now();
    await emu.close();
    emulator = undefined;
    // The connection is closed under the client at once: a socket error well before its own 10 s timeout.
    await expect(pending).rejects.toThrow(/socket hang up|ECONNRESET|other side closed|closed/i);
    expect(Date.now() - closedAt).toBeLessThan(5_000);
  });

  it('faults are consumed in order, `times` times, only by the matching action', async () => {
    emulator = await startTestEmulator();
    emulator.injectFault({ kind: 'api-error', code: 'InternalError', action: 'CreateAssetImageScanSetting', times: 2 });
    emulator.injectFault({ kind: 'api-error', code: 'FailedOperation' });
    expect(errorCode(await callApi(emulator))).toBe('FailedOperation');
    expect(errorCode(await callApi(emulator))).toBeUndefined();
    const create = { action: 'CreateAssetImageScanSetting', body: VALID_CREATE };
    expect(errorCode(await callApi(emulator, create))).toBe('InternalError');
    expect(errorCode(await callApi(emulator, create))).toBe('InternalError');
    expect(errorCode(await callApi(emulator, create))).toBeUndefined();
    expect(emulator.settingsOf(ACCOUNT_A.secretId)).toMatchObject({ Enable: true });
    expect(emulator.requests.map((r) => r.fault ?? '-')).toEqual(['api-error', '-', 'api-error', 'api-error', '-']);
  });

  it('clearFaults drops pending faults', async () => {
    const emu = await withFault({ kind: 'reset', times: 5 });
    emu.clearFaults();
    expect(errorCode(await callApi(emu))).toBeUndefined();
  });

  it('refuses a malformed fault', async () => {
    emulator = await startTestEmulator();
    expect(() => emulator?.injectFault({ kind: 'explode' } as unknown as FaultSpec)).toThrow(/kind/);
    expect(() => emulator?.injectFault({ kind: 'status', code: 'abc' })).toThrow(/status/);
    expect(() => emulator?.injectFault({ kind: 'api-error', times: 0 })).toThrow(/times/);
  });
});
