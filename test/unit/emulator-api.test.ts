import { afterEach, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../src/emulator/state.js';
import type { Emulator } from '../../src/emulator/types.js';
import { ACCOUNT_A, ACCOUNT_B, ACCOUNT_T, VALID_CREATE, callApi, errorCode, startTestEmulator } from '../helpers/emulator-client.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe('emulator: the two actions', () => {
  it('listens on 127.0.0.1 only, on a free port', async () => {
    emulator = await startTestEmulator();
    expect(emulator.url).toBe(`http://127.0.0.1:${emulator.port}`);
    expect(emulator.port).toBeGreaterThan(0);
  });

  it('answers Describe with the account defaults before any Create', async () => {
    emulator = await startTestEmulator();
    const res = await callApi(emulator);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    const { RequestId, ...rest } = res.json.Response;
    expect(RequestId).toMatch(UUID_RE);
    expect(rest).toEqual({
      Enable: false,
      ScanTime: '00:00:00',
      ScanPeriod: 1,
      ScanVirus: false,
      ScanRisk: false,
      ScanVul: false,
      All: false,
      Images: [],
      ContainerRunning: false,
      ScanScope: 0,
      ScanEndTime: '',
      ExcludeImages: [],
      LastScanTime: '',
      ScanResult: '',
      ClusterIDs: [],
    });
    expect(rest).toEqual(defaultSettings());
    expect(emulator.settingsOf(ACCOUNT_A.secretId)).toBeUndefined();
  });

  it('stores a Create and answers it on Describe, times as HH:MM:SS', async () => {
    emulator = await startTestEmulator();
    const body = { ...VALID_CREATE, Images: ['sha256:abc'], ScanScope: 1, ContainerRunning: true, All: true };
    const created = await callApi(emulator, { action: 'CreateAssetImageScanSetting', body });
    expect(Object.keys(created.json.Response)).toEqual(['RequestId']);
    expect(created.json.Response.RequestId).toMatch(UUID_RE);

    const described = await callApi(emulator);
    expect(described.json.Response).toMatchObject({
      Enable: true,
      ScanTime: '01:00:00',
      ScanEndTime: '02:00:00',
      ScanPeriod: 1,
      ScanVirus: true,
      ScanRisk: false,
      ScanVul: true,
      All: false,
      Images: ['sha256:abc'],
      ContainerRunning: true,
      ScanScope: 1,
      ExcludeImages: [],
      ClusterIDs: [],
    });
    expect(described.json.Response.RequestId).not.toBe(created.json.Response.RequestId);
    expect(emulator.settingsOf(ACCOUNT_A.secretId)).toMatchObject({ ScanTime: '01:00:00', Images: ['sha256:abc'] });
  });

  it('replaces the whole settings on Create: omitted optional fields go back to defaults', async () => {
    emulator = await startTestEmulator();
    await callApi(emulator, { action: 'CreateAssetImageScanSetting', body: { ...VALID_CREATE, Images: ['x'], ScanScope: 1 } });
    await callApi(emulator, { action: 'CreateAssetImageScanSetting', body: { ...VALID_CREATE, ScanTime: '03:04:05' } });
    const described = await callApi(emulator);
    expect(described.json.Response).toMatchObject({ Images: [], ScanScope: 0, ScanTime: '03:04:05' });
  });

  it('keeps accounts apart', async () => {
    emulator = await startTestEmulator();
    await callApi(emulator, { action: 'CreateAssetImageScanSetting', body: { ...VALID_CREATE, ScanPeriod: 7 } });
    await callApi(emulator, {
      action: 'CreateAssetImageScanSetting',
      body: { ...VALID_CREATE, ScanPeriod: 2, Enable: false },
      secretId: ACCOUNT_B.secretId,
      secretKey: ACCOUNT_B.secretKey,
    });
    const a = await callApi(emulator);
    const b = await callApi(emulator, { secretId: ACCOUNT_B.secretId, secretKey: ACCOUNT_B.secretKey });
    const t = await callApi(emulator, { ...ACCOUNT_T });
    expect(a.json.Response).toMatchObject({ ScanPeriod: 7, Enable: true });
    expect(b.json.Response).toMatchObject({ ScanPeriod: 2, Enable: false });
    expect(t.json.Response).toMatchObject({ ScanPeriod: 1, Enable: false });
    expect(emulator.settingsOf(ACCOUNT_T.secretId)).toBeUndefined();
  });

  it('accepts a token for the account that has one, and the charset content type', async () => {
    emulator = await startTestEmulator();
    const res = await callApi(emulator, { ...ACCOUNT_T, contentType: 'application/json; charset=utf-8', headers: { 'X-TC-Region': 'ap-guangzhou', 'X-TC-Language': 'zh-CN' } });
    expect(errorCode(res)).toBeUndefined();
    expect(emulator.requests[0]).toMatchObject({ token: true, region: 'ap-guangzhou', language: 'zh-CN', secretId: ACCOUNT_T.secretId });
  });

  it('accepts x-tc-action among the signed headers', async () => {
    emulator = await startTestEmulator();
    const res = await callApi(emulator, { signedHeaders: ['content-type', 'host', 'x-tc-action'] });
    expect(errorCode(res)).toBeUndefined();
  });

  it('echoes X-TC-TraceId', async () => {
    emulator = await startTestEmulator();
    const res = await callApi(emulator, { headers: { 'X-TC-TraceId': 'trace-1' } });
    expect(res.headers['x-tc-traceid']).toBe('trace-1');
  });

  it('records every request with the signature and token redacted, and logs without secrets', async () => {
    const lines: string[] = [];
    emulator = await startTestEmulator({ log: (line) => lines.push(line) });
    await callApi(emulator, { action: 'CreateAssetImageScanSetting', body: VALID_CREATE });
    await callApi(emulator, { ...ACCOUNT_T, secretKey: 'wrong-key' });
    expect(emulator.requests).toHaveLength(2);
    const [first, second] = emulator.requests;
    expect(first).toMatchObject({ action: 'CreateAssetImageScanSetting', secretId: ACCOUNT_A.secretId, token: false, status: 200 });
    expect(first?.body).toBe(JSON.stringify(VALID_CREATE));
    expect(first?.requestId).toMatch(UUID_RE);
    expect(first?.errorCode).toBeUndefined();
    expect(first?.headers.authorization).toMatch(/Signature=<redacted>$/);
    expect(second).toMatchObject({ errorCode: 'AuthFailure.SignatureFailure', token: true });
    expect(second?.headers['x-tc-token']).toBe('<redacted>');

    const everything = JSON.stringify(emulator.requests) + lines.join('\n');
    for (const secret of [ACCOUNT_A.secretKey, ACCOUNT_T.secretKey, ACCOUNT_T.token]) expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/Signature=[0-9a-f]{64}/);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^\\S+Z CreateAssetImageScanSetting ${ACCOUNT_A.secretId} OK ${first?.requestId}$`));
    expect(lines[1]).toContain('AuthFailure.SignatureFailure');

    emulator.resetRequests();
    expect(emulator.requests).toHaveLength(0);
  });

  it('uses the injected clock for the record time', async () => {
    emulator = await startTestEmulator({ now: () => Date.UTC(2030, 0, 2, 3, 4, 5) });
    const res = await callApi(emulator, { timestamp: Date.UTC(2030, 0, 2, 3, 4, 5) / 1000 });
    expect(errorCode(res)).toBeUndefined();
    expect(emulator.requests[0]?.at).toBe(Date.UTC(2030, 0, 2, 3, 4, 5));
  });

  it('refuses bad options', async () => {
    await expect(startTestEmulator({ accounts: [] })).rejects.toThrow(/at least one account/);
    await expect(startTestEmulator({ accounts: [ACCOUNT_A, ACCOUNT_A] })).rejects.toThrow(/twice/);
    await expect(startTestEmulator({ port: 70000 })).rejects.toThrow(/port/);
  });
});
