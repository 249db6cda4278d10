/**
 * Every request form the service accepts (docs/api.md), each signed by the tests' own signer, right key and
 * wrong key: the Host as sent or without its port, TC3 over GET, UNSIGNED-PAYLOAD, an empty token, and
 * Signature v1 (HmacSHA1/HmacSHA256, GET query or POST form) with its common parameters.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/types.js';
import { tc3Signature } from '../../src/emulator/verify-tc3.js';
import { v1Signature, v1StringToSign } from '../../src/emulator/verify-v1.js';
import { ACCOUNT_A, ACCOUNT_T, VALID_CREATE, callApi, callV1, errorCode, startTestEmulator, type ApiCall, type V1Call } from '../helpers/emulator-client.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const CREATE = 'CreateAssetImageScanSetting';
const NOW = Math.floor(Date.now() / 1000);
const CJK = /[\u4e00-\u9fff]/;
const WRONG = { secretKey: 'not-the-key-of-account-a' };

function message(res: { json: { Response: Record<string, unknown> } }): string {
  return (res.json.Response.Error as { Message: string }).Message;
}

describe('the emulator\'s own signature code reproduces the official vectors', () => {
  it('TC3 POST and GET', () => {
    const common = { secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE', service: 'cvm' };
    expect(
      tc3Signature({
        ...common,
        timestamp: 1551113065,
        method: 'POST',
        canonicalQuery: '',
        headers: new Map([['content-type', 'application/json; charset=utf-8'], ['host', 'cvm.tencentcloudapi.com']]),
        payloadHash: '35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064',
      }),
    ).toBe('72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168');
    expect(
      tc3Signature({
        ...common,
        timestamp: 1539084154,
        method: 'GET',
        canonicalQuery: 'Limit=10&Offset=0',
        headers: new Map([['content-type', 'application/x-www-form-urlencoded'], ['host', 'cvm.tencentcloudapi.com']]),
        payloadHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      }),
    ).toBe('5da7a33f6993f0614b047e5df4582db9e9bf4672ba50567dba16c6ccf174c474');
  });

  it('Signature v1, HmacSHA1', () => {
    const params = new Map(
      Object.entries({
        Action: 'DescribeInstances',
        'InstanceIds.0': 'ins-09dx96dg',
        Limit: '20',
        Nonce: '11886',
        Offset: '0',
        Region: 'ap-guangzhou',
        SecretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE',
        Timestamp: '1465185768',
        Version: '2017-03-12',
      }),
    );
    const text = v1StringToSign('GET', 'cvm.tencentcloudapi.com', params);
    expect(text).toBe(
      'GETcvm.tencentcloudapi.com/?Action=DescribeInstances&InstanceIds.0=ins-09dx96dg&Limit=20&Nonce=11886&Offset=0&Region=ap-guangzhou&SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE&Timestamp=1465185768&Version=2017-03-12',
    );
    expect(v1Signature('Gu5t9xGARNpq86cd98joQYCN3EXAMPLE', 'HmacSHA1', text)).toBe('EliP9YW3pW28FpsEdkXt/+WcGeI=');
  });
});

describe('TC3: the Host that is signed', () => {
  const forms: [string, (emu: Emulator) => ApiCall][] = [
    ['without the port (Node SDK)', () => ({ signedHost: '127.0.0.1' })],
    ['as sent, with the port (Python SDK, tccli, curl)', (emu) => ({ signedHost: `127.0.0.1:${emu.port}` })],
    ['as tccli sends it with --endpoint http://…', (emu) => ({ signedHost: `http://127.0.0.1:${emu.port}`, headers: { Host: `http://127.0.0.1:${emu.port}` } })],
  ];
  it.each(forms)('%s: accepted with the right key, refused with a wrong one', async (_name, form) => {
    emulator = await startTestEmulator();
    expect(errorCode(await callApi(emulator, form(emulator)))).toBeUndefined();
    expect(errorCode(await callApi(emulator, { ...form(emulator), ...WRONG }))).toBe('AuthFailure.SignatureFailure');
  });

  it('a host that is neither the one sent nor it without the port fails', async () => {
    emulator = await startTestEmulator();
    expect(errorCode(await callApi(emulator, { signedHost: 'tcss.tencentcloudapi.com' }))).toBe('AuthFailure.SignatureFailure');
    expect(errorCode(await callApi(emulator, { signedHost: `127.0.0.1:${emulator.port + 1}` }))).toBe('AuthFailure.SignatureFailure');
  });
});

describe('TC3 with GET', () => {
  it('takes the parameters from the query (arrays as Images.0, booleans in any case), signed as sent', async () => {
    emulator = await startTestEmulator();
    const params = {
      Enable: 'True',
      ScanTime: '03:15',
      ScanPeriod: '7',
      ScanVirus: 'true',
      ScanRisk: 'false',
      ScanVul: 'FALSE',
      ScanScope: '1',
      'Images.0': 'sha256:525b6e9f',
      'Images.1': 'nginx:1.25',
    };
    const created = await callApi(emulator, { method: 'GET', action: CREATE, params });
    expect(errorCode(created)).toBeUndefined();
    const described = await callApi(emulator, { method: 'GET' });
    expect(errorCode(described)).toBeUndefined();
    expect(described.json.Response).toMatchObject({
      Enable: true, ScanTime: '03:15:00', ScanPeriod: 7, ScanVirus: true, ScanRisk: false, ScanVul: false, ScanScope: 1,
      Images: ['sha256:525b6e9f', 'nginx:1.25'],
    });
    expect(emulator.requests[0]?.query).toContain('Images.0=sha256%3A525b6e9f');
  });

  it('refuses a wrong key, a query that differs from the signed one, and a JSON content type', async () => {
    emulator = await startTestEmulator();
    const params = { ...Object.fromEntries(Object.entries(VALID_CREATE).map(([k, v]) => [k, String(v)])) };
    expect(errorCode(await callApi(emulator, { method: 'GET', action: CREATE, params, ...WRONG }))).toBe('AuthFailure.SignatureFailure');
    const signedQuery = 'Enable=true&ScanTime=01%3A00&ScanPeriod=1&ScanVirus=true&ScanRisk=true&ScanVul=true';
    expect(errorCode(await callApi(emulator, { method: 'GET', action: CREATE, query: signedQuery }))).toBeUndefined();
    // The signature covers the query string as sent: the same parameters in another order, or another
    // value, are another request.
    const reordered = signedQuery.split('&').reverse().join('&');
    expect(errorCode(await callApi(emulator, { method: 'GET', action: CREATE, query: signedQuery, sentQuery: reordered }))).toBe('AuthFailure.SignatureFailure');
    const altered = signedQuery.replace('ScanPeriod=1', 'ScanPeriod=2');
    expect(errorCode(await callApi(emulator, { method: 'GET', action: CREATE, query: signedQuery, sentQuery: altered }))).toBe('AuthFailure.SignatureFailure');
    expect(errorCode(await callApi(emulator, { method: 'GET', contentType: 'application/json' }))).toBe('InvalidParameter');
  });

  it('answers parameter errors of a GET like those of a JSON body', async () => {
    emulator = await startTestEmulator();
    const base = { Enable: 'true', ScanTime: '01:00', ScanPeriod: '1', ScanVirus: 'true', ScanRisk: 'true', ScanVul: 'true' };
    const cases: [Record<string, string>, string][] = [
      [{ ...base, Enable: 'yes' }, 'InvalidParameter'],
      [{ ...base, ScanPeriod: '1.5' }, 'InvalidParameter'],
      [{ ...base, ScanPeriod: '0' }, 'InvalidParameterValue.DataRange'],
      [{ ...base, 'Images.1': 'a' }, 'InvalidParameter'],
      [{ ...base, 'Enable.0': 'true' }, 'UnknownParameter'],
      [{ ...base, Nope: 'x' }, 'UnknownParameter'],
      [{ Enable: 'true' }, 'MissingParameter'],
    ];
    for (const [params, code] of cases) expect(errorCode(await callApi(emulator, { method: 'GET', action: CREATE, params })), JSON.stringify(params)).toBe(code);
    const twice = await callApi(emulator, { method: 'GET', action: CREATE, query: 'Enable=true&Enable=false' });
    expect(errorCode(twice)).toBe('InvalidParameter');
  });
});

describe('TC3 details', () => {
  it('X-TC-Content-SHA256: UNSIGNED-PAYLOAD: the payload hash is that of the words, whatever the body', async () => {
    emulator = await startTestEmulator();
    const body = JSON.stringify(VALID_CREATE);
    expect(errorCode(await callApi(emulator, { action: CREATE, body, unsignedPayload: true }))).toBeUndefined();
    expect(errorCode(await callApi(emulator, { action: CREATE, body, unsignedPayload: true, ...WRONG }))).toBe('AuthFailure.SignatureFailure');
    // Signed as unsigned, but the header is missing: the body's hash is expected.
    const res = await callApi(emulator, { action: CREATE, body, unsignedPayload: true, headers: { 'X-TC-Content-SHA256': undefined } });
    expect(errorCode(res)).toBe('AuthFailure.SignatureFailure');
  });

  it('an empty X-TC-Token is no token', async () => {
    emulator = await startTestEmulator();
    expect(errorCode(await callApi(emulator, { token: '' }))).toBeUndefined();
    expect(emulator.requests[0]?.token).toBe(false);
    expect(errorCode(await callApi(emulator, { ...ACCOUNT_T, token: '' }))).toBe('AuthFailure.TokenFailure');
    expect(errorCode(await callApi(emulator, { ...ACCOUNT_T }))).toBeUndefined();
  });

  it('the Node SDK\'s IP-endpoint scope (`127`) is refused with a message that says what to do', async () => {
    emulator = await startTestEmulator();
    const res = await callApi(emulator, { service: '127' });
    expect(errorCode(res)).toBe('AuthFailure.InvalidAuthorization');
    expect(message(res)).toContain('begins with tcss.');
  });
});

describe('Signature v1', () => {
  const forms: [string, V1Call][] = [
    ['HmacSHA1, GET query', { method: 'GET', algorithm: 'HmacSHA1' }],
    ['HmacSHA256, GET query', { method: 'GET', algorithm: 'HmacSHA256' }],
    ['HmacSHA1, POST form', { method: 'POST', algorithm: 'HmacSHA1' }],
    ['HmacSHA256, POST form', { method: 'POST', algorithm: 'HmacSHA256' }],
    ['no SignatureMethod (HmacSHA1)', { method: 'GET', omitSignatureMethod: true }],
    ['host signed without the port', { method: 'GET', signedHost: '127.0.0.1' }],
  ];
  it.each(forms)('%s: right key accepted, wrong key refused', async (_name, form) => {
    emulator = await startTestEmulator();
    const ok = await callV1(emulator, form);
    expect(errorCode(ok)).toBeUndefined();
    expect(ok.json.Response).toMatchObject({ Enable: false, RequestId: expect.any(String) });
    expect(emulator.requests[0]).toMatchObject({ action: 'DescribeAssetImageScanSetting', secretId: ACCOUNT_A.secretId, status: 200 });
    expect(errorCode(await callV1(emulator, { ...form, ...WRONG }))).toBe('AuthFailure.SignatureFailure');
  });

  it('creates with arrays and Python-style booleans, and never records the signature or the token', async () => {
    emulator = await startTestEmulator();
    const params = { Enable: 'True', ScanTime: '2020-12-28 15:53:26', ScanPeriod: '2', ScanVirus: 'True', ScanRisk: 'False', ScanVul: 'True', 'ClusterIDs.0': 'cls-xt1t', ScanScope: '3' };
    for (const method of ['GET', 'POST'] as const) {
      const res = await callV1(emulator, { method, action: CREATE, params, ...ACCOUNT_T, common: { Token: ACCOUNT_T.token, Region: 'ap-guangzhou', RequestClient: 'SDK_PYTHON_3.1.162' } });
      expect(errorCode(res)).toBeUndefined();
    }
    expect(emulator.settingsOf(ACCOUNT_T.secretId)).toMatchObject({ Enable: true, ScanTime: '15:53:26', ScanPeriod: 2, ScanRisk: false, ClusterIDs: ['cls-xt1t'], ScanScope: 3 });
    expect(emulator.requests.map((r) => [r.action, r.secretId, r.region, r.token])).toEqual([
      [CREATE, ACCOUNT_T.secretId, 'ap-guangzhou', true],
      [CREATE, ACCOUNT_T.secretId, 'ap-guangzhou', true],
    ]);
    const recorded = JSON.stringify(emulator.requests);
    expect(recorded).not.toContain(ACCOUNT_T.token);
    expect(recorded).toMatch(/Signature=<redacted>/);
    expect(recorded).not.toMatch(/Signature=[A-Za-z0-9%]{20,}/);
  });

  const failures: [string, V1Call, string][] = [
    ['no Action', { common: { Action: undefined } }, 'MissingParameter'],
    ['an unknown Action', { common: { Action: 'DescribeNothing' } }, 'InvalidAction'],
    ['no Version', { common: { Version: undefined } }, 'MissingParameter'],
    ['another Version', { common: { Version: '2018-03-17' } }, 'NoSuchVersion'],
    ['no Timestamp', { common: { Timestamp: undefined } }, 'MissingParameter'],
    ['a Timestamp 301 s old', { timestamp: NOW - 301 }, 'AuthFailure.SignatureExpire'],
    ['no Nonce', { common: { Nonce: undefined } }, 'MissingParameter'],
    ['Nonce 0', { common: { Nonce: '0' } }, 'InvalidParameterValue'],
    ['Nonce not a number', { common: { Nonce: 'abc' } }, 'InvalidParameterValue'],
    ['no SecretId', { common: { SecretId: undefined } }, 'MissingParameter'],
    ['an unknown SecretId', { secretId: 'AKIDUNKNOWN' }, 'AuthFailure.SecretIdNotFound'],
    ['an unknown SignatureMethod', { common: { SignatureMethod: 'HmacMD5' } }, 'InvalidParameterValue'],
    ['no Signature', { signature: () => '' }, 'AuthFailure.SignatureFailure'],
    ['a Signature cut short', { signature: (s) => s.slice(0, -4) }, 'AuthFailure.SignatureFailure'],
    ['a token for permanent keys', { common: { Token: 'tok' } }, 'AuthFailure.TokenFailure'],
    ['no token for temporary keys', { ...ACCOUNT_T }, 'AuthFailure.TokenFailure'],
    ['an empty token for temporary keys', { ...ACCOUNT_T, common: { Token: '' } }, 'AuthFailure.TokenFailure'],
    ['a wrong token', { ...ACCOUNT_T, common: { Token: 'other' } }, 'AuthFailure.TokenFailure'],
    ['an empty Region', { common: { Region: '' } }, 'InvalidParameterValue'],
    ['an unsupported Language', { common: { Language: 'fr-FR' } }, 'InvalidParameterValue'],
    ['an unknown action parameter', { params: { Nope: '1' } }, 'UnknownParameter'],
  ];
  it.each(failures)('%s → %s', async (_name, call, code) => {
    emulator = await startTestEmulator({ now: () => NOW * 1000 });
    const res = await callV1(emulator, { timestamp: NOW, ...call });
    expect(errorCode(res)).toBe(code);
    expect(res.json.Response.RequestId).toEqual(expect.any(String));
  });

  it('accepts a right token, an empty token for permanent keys, and the Language and Region parameters', async () => {
    emulator = await startTestEmulator();
    expect(errorCode(await callV1(emulator, { ...ACCOUNT_T, common: { Token: ACCOUNT_T.token } }))).toBeUndefined();
    expect(errorCode(await callV1(emulator, { common: { Token: '' } }))).toBeUndefined();
    expect(errorCode(await callV1(emulator, { common: { Language: 'en-US', Region: 'ap-singapore' } }))).toBeUndefined();
  });

  it('answers in Chinese when Language is zh-CN', async () => {
    emulator = await startTestEmulator();
    const res = await callV1(emulator, { ...WRONG, common: { Language: 'zh-CN' } });
    expect(errorCode(res)).toBe('AuthFailure.SignatureFailure');
    expect(message(res)).toMatch(CJK);
    expect(message(await callV1(emulator, WRONG))).not.toMatch(CJK);
  });
});
