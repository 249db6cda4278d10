import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/types.js';
import { ACCOUNT_A, ACCOUNT_T, type ApiCall, VALID_CREATE, callApi, errorCode, rawRequest, startTestEmulator } from '../helpers/emulator-client.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const NOW = Math.floor(Date.now() / 1000);

const cases: [string, ApiCall, string][] = [
  ['unknown action', { headers: { 'X-TC-Action': 'DescribeNothing' } }, 'InvalidAction'],
  ['missing action', { headers: { 'X-TC-Action': undefined } }, 'InvalidAction'],
  ['wrong version', { headers: { 'X-TC-Version': '2018-03-17' } }, 'NoSuchVersion'],
  ['missing version', { headers: { 'X-TC-Version': undefined } }, 'NoSuchVersion'],
  ['wrong content type', { contentType: 'application/x-www-form-urlencoded' }, 'InvalidParameter'],
  ['timestamp 301 s in the past', { timestamp: NOW - 301 }, 'AuthFailure.SignatureExpire'],
  ['timestamp 301 s in the future', { timestamp: NOW + 301 }, 'AuthFailure.SignatureExpire'],
  ['timestamp not an integer', { headers: { 'X-TC-Timestamp': '12.5' } }, 'AuthFailure.SignatureExpire'],
  ['timestamp missing', { headers: { 'X-TC-Timestamp': undefined } }, 'AuthFailure.SignatureExpire'],
  ['no Authorization', { headers: { Authorization: undefined } }, 'AuthFailure.InvalidAuthorization'],
  ['Authorization of another scheme', { authorization: (a) => a.replace('TC3-HMAC-SHA256', 'HMAC-SHA1') }, 'AuthFailure.InvalidAuthorization'],
  ['Authorization cut short', { authorization: (a) => a.slice(0, -10) }, 'AuthFailure.InvalidAuthorization'],
  [
    'scope date that is not the UTC date of the timestamp',
    { authorization: (a) => a.replace(/\/\d{4}-\d{2}-\d{2}\//, '/2001-01-01/') },
    'AuthFailure.InvalidAuthorization',
  ],
  ['scope service other than tcss', { service: 'cvm' }, 'AuthFailure.InvalidAuthorization'],
  ['SignedHeaders without host', { signedHeaders: ['content-type'] }, 'AuthFailure.InvalidAuthorization'],
  ['SignedHeaders without content-type', { signedHeaders: ['host'] }, 'AuthFailure.InvalidAuthorization'],
  [
    'a signed header that is not sent',
    { authorization: (a) => a.replace('SignedHeaders=content-type;host', 'SignedHeaders=content-type;host;x-tc-region') },
    'AuthFailure.InvalidAuthorization',
  ],
  ['unknown SecretId', { secretId: 'AKIDUNKNOWN' }, 'AuthFailure.SecretIdNotFound'],
  ['wrong key', { secretKey: 'not-the-key' }, 'AuthFailure.SignatureFailure'],
  ['host signed with the port', { signedHost: '127.0.0.1:1234' }, 'AuthFailure.SignatureFailure'],
  ['signed content type differs from the sent one', { headers: { 'Content-Type': 'application/json; charset=utf-8' } }, 'AuthFailure.SignatureFailure'],
  ['token for an account without one', { token: 'tok' }, 'AuthFailure.TokenFailure'],
  ['missing token', { secretId: ACCOUNT_T.secretId, secretKey: ACCOUNT_T.secretKey }, 'AuthFailure.TokenFailure'],
  ['wrong token', { ...ACCOUNT_T, token: 'other' }, 'AuthFailure.TokenFailure'],
  ['empty X-TC-Region', { headers: { 'X-TC-Region': '' } }, 'InvalidParameterValue'],
  ['unsupported X-TC-Language', { headers: { 'X-TC-Language': 'fr-FR' } }, 'InvalidParameterValue'],
];

describe('emulator: request verification', () => {
  it.each(cases)('%s → %s', async (_name, call, code) => {
    // The server clock is pinned to NOW, so "301 s off" stays 301 s however long the suite has been running.
    emulator = await startTestEmulator({ now: () => NOW * 1000 });
    const res = await callApi(emulator, call);
    expect(res.status).toBe(200);
    expect(errorCode(res)).toBe(code);
    expect(res.json.Response.RequestId).toEqual(expect.any(String));
    expect(typeof (res.json.Response.Error as { Message: unknown }).Message).toBe('string');
    expect(emulator.requests.at(-1)?.errorCode).toBe(code);
  });

  it.each(cases.filter(([name]) => name !== 'unsupported X-TC-Language'))('%s, with X-TC-Language zh-CN → %s in Chinese', async (_name, call, code) => {
    emulator = await startTestEmulator({ now: () => NOW * 1000 });
    const zh = await callApi(emulator, { ...call, headers: { ...call.headers, 'X-TC-Language': 'zh-CN' } });
    expect(errorCode(zh)).toBe(code);
    const zhMessage = (zh.json.Response.Error as { Message: string }).Message;
    expect(zhMessage).toMatch(/[\u4e00-\u9fff]/);
    for (const language of ['en-US', undefined]) {
      const en = await callApi(emulator, { ...call, headers: { ...call.headers, 'X-TC-Language': language } });
      expect(errorCode(en)).toBe(code);
      expect((en.json.Response.Error as { Message: string }).Message).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('hashes the exact body bytes: the same JSON with other whitespace fails', async () => {
    emulator = await startTestEmulator();
    const body = JSON.stringify(VALID_CREATE);
    const ok = await callApi(emulator, { action: 'CreateAssetImageScanSetting', body });
    expect(errorCode(ok)).toBeUndefined();
    const res = await callApi(emulator, { action: 'CreateAssetImageScanSetting', body, signedBody: JSON.stringify(VALID_CREATE, null, 1) });
    expect(errorCode(res)).toBe('AuthFailure.SignatureFailure');
  });

  it('accepts a timestamp exactly 300 s off', async () => {
    emulator = await startTestEmulator({ now: () => NOW * 1000 });
    expect(errorCode(await callApi(emulator, { timestamp: NOW - 300 }))).toBeUndefined();
    expect(errorCode(await callApi(emulator, { timestamp: NOW + 300 }))).toBeUndefined();
  });

  it('emulates a server clock that is off, and says its time in the message', async () => {
    emulator = await startTestEmulator({ now: () => NOW * 1000, clockOffsetSeconds: 3600 });
    const res = await callApi(emulator, { timestamp: NOW });
    expect(errorCode(res)).toBe('AuthFailure.SignatureExpire');
    const message = (res.json.Response.Error as { Message: string }).Message;
    expect(message).toContain(String(NOW + 3600));
    expect(message).toContain(new Date((NOW + 3600) * 1000).toISOString());
    expect(errorCode(await callApi(emulator, { timestamp: NOW + 3600 }))).toBeUndefined();
  });

  it('checks the timestamp against the injected clock', async () => {
    const fixed = Date.UTC(2031, 5, 6, 23, 59, 0);
    emulator = await startTestEmulator({ now: () => fixed });
    expect(errorCode(await callApi(emulator, { timestamp: NOW }))).toBe('AuthFailure.SignatureExpire');
    // Near midnight UTC: the scope date must follow the timestamp, not the server's date.
    expect(errorCode(await callApi(emulator, { timestamp: fixed / 1000 + 120 }))).toBeUndefined();
  });

  it('rejects a body over 1 MiB with RequestSizeLimitExceeded', async () => {
    emulator = await startTestEmulator();
    const res = await callApi(emulator, { action: 'CreateAssetImageScanSetting', body: { ...VALID_CREATE, Images: ['x'.repeat(1024 * 1024)] } });
    expect(errorCode(res)).toBe('RequestSizeLimitExceeded');
    expect(emulator.requests[0]?.body).toBe('');
  });

  it('limits each SecretId to 20 requests per second', async () => {
    let clock = NOW * 1000;
    emulator = await startTestEmulator({ now: () => clock });
    for (let i = 0; i < 20; i++) expect(errorCode(await callApi(emulator, { timestamp: NOW }))).toBeUndefined();
    expect(errorCode(await callApi(emulator, { timestamp: NOW }))).toBe('RequestLimitExceeded');
    // Another account has its own budget.
    expect(errorCode(await callApi(emulator, { ...ACCOUNT_T, timestamp: NOW }))).toBeUndefined();
    clock += 1000;
    expect(errorCode(await callApi(emulator, { timestamp: NOW }))).toBeUndefined();
  });

  it('can have the rate limit switched off', async () => {
    emulator = await startTestEmulator({ now: () => NOW * 1000, rateLimitPerSecond: 0 });
    for (let i = 0; i < 25; i++) expect(errorCode(await callApi(emulator, { timestamp: NOW }))).toBeUndefined();
  });

  it('answers methods other than GET and POST with UnsupportedOperation, a bare GET with MissingParameter, other paths with 404', async () => {
    emulator = await startTestEmulator();
    const put = await rawRequest(emulator.url, { method: 'PUT', body: '{}' });
    expect(JSON.parse(put.text)).toMatchObject({ Response: { Error: { Code: 'UnsupportedOperation' } } });
    // A GET without Authorization is a Signature v1 request, and it names no Action.
    const get = await rawRequest(emulator.url, { method: 'GET' });
    expect(JSON.parse(get.text)).toMatchObject({ Response: { Error: { Code: 'MissingParameter', Message: expect.stringContaining('Action') } } });
    const other = await rawRequest(emulator.url, { path: '/v3', body: '{}' });
    expect(other.status).toBe(404);
  });

  it('never accepts the right key of the wrong account', async () => {
    emulator = await startTestEmulator();
    const res = await callApi(emulator, { secretId: ACCOUNT_A.secretId, secretKey: ACCOUNT_T.secretKey });
    expect(errorCode(res)).toBe('AuthFailure.SignatureFailure');
  });
});
