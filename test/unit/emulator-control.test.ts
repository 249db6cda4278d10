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
