/**
 * The emulator's STS and metadata stand-in, request by request: AssumeRole verified with service `sts`,
 * AssumeRoleWithWebIdentity only unsigned and only for the providers and tokens it was given, GetCallerIdentity for
 * configured and issued keys, and the metadata paths with and without an instance role.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { prepareRequest } from '../../src/core/api/index.js';
import { parseEndpoint } from '../../src/core/http/index.js';
import type { Emulator } from '../../src/emulator/types.js';
import { redactWebIdentityToken, stsOptionsFrom } from '../../src/emulator/sts.js';
import { ACCOUNT_A, ACCOUNT_B, callApi, errorCode, rawRequest, startTestEmulator } from '../helpers/emulator-client.js';
import { sdkAuthorization } from '../helpers/sdk-sign.js';

const ROLE = 'qcs::cam::uin/200000000002:roleName/admin';
const STS = { 'X-TC-Version': '2018-08-13' };
let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const assume = (emu: Emulator, extra: Parameters<typeof callApi>[1] = {}) =>
  callApi(emu, { action: 'AssumeRole', service: 'sts', headers: STS, body: { RoleArn: ROLE, RoleSessionName: 'unit' }, ...extra });

describe('AssumeRole', () => {
  it('is verified with the credential-scope service sts, and answers keys that act in the role\'s account', async () => {
    emulator = await startTestEmulator();
    const tcssScope = await assume(emulator, { service: 'tcss' });
    expect(errorCode(tcssScope)).toBe('AuthFailure.InvalidAuthorization');
    const wrongKey = await assume(emulator, { secretKey: 'not-the-key' });
    expect(errorCode(wrongKey)).toBe('AuthFailure.SignatureFailure');
    const ok = await assume(emulator);
    expect(errorCode(ok)).toBeUndefined();
    const creds = ok.json.Response.Credentials as { TmpSecretId: string; TmpSecretKey: string; Token: string };
    expect(creds.TmpSecretId).toMatch(/^AKIDTMP/);
    expect(ok.json.Response.ExpiredTime).toBeGreaterThan(Date.now() / 1000 + 7000);
    expect(emulator.issuedSecrets()).toEqual([creds.TmpSecretKey, creds.Token]);

    // The issued key works with its token only, and writes the role's account.
    const noToken = await callApi(emulator, { secretId: creds.TmpSecretId, secretKey: creds.TmpSecretKey });
    expect(errorCode(noToken)).toBe('AuthFailure.TokenFailure');
    const write = await callApi(emulator, { action: 'CreateAssetImageScanSetting', secretId: creds.TmpSecretId, secretKey: creds.TmpSecretKey, token: creds.Token, body: { Enable: true, ScanTime: '01:00', ScanPeriod: 1, ScanVirus: true, ScanRisk: true, ScanVul: true } });
    expect(errorCode(write)).toBeUndefined();
    expect(emulator.settingsOf('uin:200000000002')).toMatchObject({ Enable: true });
    expect(emulator.settingsOf(ACCOUNT_A.secretId)).toBeUndefined();

    const who = await callApi(emulator, { action: 'GetCallerIdentity', service: 'sts', headers: STS, secretId: creds.TmpSecretId, secretKey: creds.TmpSecretKey, token: creds.Token });
    expect(who.json.Response).toMatchObject({ AccountId: '200000000002', Type: 'CAMRole', PrincipalId: '100000000001', UserId: expect.stringMatching(/:unit$/) });
    const base = await callApi(emulator, { action: 'GetCallerIdentity', service: 'sts', headers: STS, secretId: ACCOUNT_B.secretId, secretKey: ACCOUNT_B.secretKey });
    expect(base.json.Response).toMatchObject({ AccountId: '100000000002', Type: 'CAMUser' });
  });

  it('checks the role ARN, the session name, the duration and the list of roles it was given', async () => {
    emulator = await startTestEmulator({ sts: { roles: [ROLE] } });
    expect(errorCode(await assume(emulator, { body: { RoleArn: 'qcs::cam::uin/1:roleName/other', RoleSessionName: 'unit' } }))).toBe('ResourceNotFound.RoleNotExist');
    expect(errorCode(await assume(emulator, { body: { RoleArn: 'nope', RoleSessionName: 'unit' } }))).toBe('InvalidParameter.ParamError');
    expect(errorCode(await assume(emulator, { body: { RoleArn: ROLE, RoleSessionName: 'x' } }))).toBe('InvalidParameter.ParamError');
    expect(errorCode(await assume(emulator, { body: { RoleArn: ROLE, RoleSessionName: 'unit', DurationSeconds: 50000 } }))).toBe('InvalidParameter.OverTimeError');
    expect(errorCode(await assume(emulator, { headers: {} }))).toBe('NoSuchVersion');
    expect(errorCode(await assume(emulator))).toBeUndefined();
  });
});

describe('STS messages in the caller\'s language', () => {
  const messageOf = (r: Awaited<ReturnType<typeof assume>>): string => (r.json.Response.Error as { Message: string }).Message;
  const CJK = /[\u4e00-\u9fff]/;

  it('answers every refusal in Chinese for zh-CN and in English for en-US', async () => {
    emulator = await startTestEmulator({ sts: { roles: [ROLE] } });
    const bodies: Array<Record<string, unknown>> = [
      { RoleSessionName: 'unit' },
      { RoleArn: 'nope', RoleSessionName: 'unit' },
      { RoleArn: 'qcs::cam::uin/1:roleName/other', RoleSessionName: 'unit' },
      { RoleArn: ROLE },
      { RoleArn: ROLE, RoleSessionName: 'x' },
      { RoleArn: ROLE, RoleSessionName: 'unit', DurationSeconds: 50000 },
    ];
    for (const body of bodies) {
      const zh = await assume(emulator, { body, headers: { ...STS, 'X-TC-Language': 'zh-CN' } });
      const en = await assume(emulator, { body, headers: { ...STS, 'X-TC-Language': 'en-US' } });
      expect(errorCode(zh), JSON.stringify(body)).toBe(errorCode(en));
      expect(errorCode(zh)).toBeDefined();
      expect(messageOf(zh), JSON.stringify(body)).toMatch(CJK);
      expect(messageOf(en), JSON.stringify(body)).not.toMatch(CJK);
    }
    const version = await assume(emulator, { headers: { 'X-TC-Language': 'zh-CN' } });
    expect(errorCode(version)).toBe('NoSuchVersion');
    expect(messageOf(version)).toMatch(CJK);
  });
});

describe('AssumeRoleWithWebIdentity', () => {
  const send = (emu: Emulator, body: object, authorization = 'SKIP') => {
    const request = prepareRequest({ action: 'AssumeRoleWithWebIdentity', service: { name: 'sts', version: '2018-08-13' }, skipAuthorization: true, body, endpoint: parseEndpoint(emu.url), now: Date.now() });
    expect(request.headers.Authorization).toBe('SKIP');
    expect(request.signature).toBeUndefined();
    return rawRequest(emu.url, { headers: { ...request.headers, Authorization: authorization }, body: request.body }).then((r) => JSON.parse(r.text) as { Response: Record<string, unknown> });
  };
  const body = { ProviderId: 'github', WebIdentityToken: 'a.b.c', RoleArn: ROLE, RoleSessionName: 'gh' };

  it('accepts only unsigned requests for its providers and tokens, and never records the token', async () => {
    emulator = await startTestEmulator({ sts: { oidcProviders: ['github'], webIdentityTokens: ['a.b.c'] } });
    expect((await send(emulator, body)).Response.Credentials).toBeDefined();
    expect(((await send(emulator, body, 'TC3-HMAC-SHA256 Credential=x')).Response.Error as { Code: string }).Code).toBe('AuthFailure.InvalidAuthorization');
    expect(((await send(emulator, { ...body, ProviderId: 'gitlab' })).Response.Error as { Code: string }).Code).toBe('ResourceNotFound.IdentityProviderNotExist');
    expect(((await send(emulator, { ...body, WebIdentityToken: 'a.b.d' })).Response.Error as { Code: string }).Code).toBe('InvalidParameter.WebIdentityTokenError');
    for (const r of emulator.requests) expect(r.body).not.toContain('a.b.');
    expect(emulator.requests[0]?.body).toContain('"WebIdentityToken":"<redacted>"');
  });

  it('redacts the token of a recorded body, even one cut short inside the token', () => {
    expect(redactWebIdentityToken('{"ProviderId":"g","WebIdentityToken":"eyJ.a\\"b.c","RoleArn":"r"}')).toBe('{"ProviderId":"g","WebIdentityToken":"<redacted>","RoleArn":"r"}');
    expect(redactWebIdentityToken('{"ProviderId":"g","WebIdentityToken" : "eyJhbGciOiJSUzI1NiJ9.eyJzdWIi')).toBe('{"ProviderId":"g","WebIdentityToken" : "<redacted>"');
    expect(redactWebIdentityToken('{"Enable":true}')).toBe('{"Enable":true}');
  });

  it('takes its providers, tokens and roles from the command flags and TCSS_EMULATOR_OIDC_TOKENS', () => {
    expect(stsOptionsFrom({ oidcProvider: ['github'], oidcToken: ['t1'], role: [ROLE], cvmRole: ROLE }, { TCSS_EMULATOR_OIDC_TOKENS: 't2, t3' })).toEqual({
      oidcProviders: ['github'],
      webIdentityTokens: ['t1', 't2', 't3'],
      roles: [ROLE],
      cvmRole: ROLE,
    });
    expect(() => stsOptionsFrom({ role: ['arn:aws:iam::1:role/x'] }, {})).toThrow(/is not a role ARN/);
  });
});

describe('the metadata stand-in', () => {
  const path = '/latest/meta-data/cam/security-credentials/';
  it('answers the role name and keys for it; 404 when no role is bound', async () => {
    emulator = await startTestEmulator({ sts: { cvmRole: 'qcs::cam::uin/300000000003:roleName/cvm' } });
    const name = await rawRequest(emulator.url, { method: 'GET', path });
    expect([name.status, name.text]).toEqual([200, 'cvm']);
    const keys = JSON.parse((await rawRequest(emulator.url, { method: 'GET', path: `${path}cvm` })).text) as Record<string, unknown>;
    expect(keys).toMatchObject({ Code: 'Success', TmpSecretId: expect.stringMatching(/^AKIDTMP/), ExpiredTime: expect.any(Number) });
    expect((await rawRequest(emulator.url, { method: 'GET', path: `${path}other` })).status).toBe(404);
    await emulator.close();
    emulator = await startTestEmulator();
    expect((await rawRequest(emulator.url, { method: 'GET', path })).status).toBe(404);
  });
});

describe('STS requests as tcss signs them', () => {
  it('match the official SDK signer with service sts, for the default STS host and any other', () => {
    for (const host of ['https://sts.tencentcloudapi.com', 'https://sts.ap-singapore.tencentcloudapi.com', 'http://127.0.0.1:9000']) {
      const timestamp = 1_796_000_000;
      const request = prepareRequest({
        action: 'AssumeRole',
        service: { name: 'sts', version: '2018-08-13' },
        body: { RoleArn: ROLE, RoleSessionName: 'tcss-1', DurationSeconds: 3600 },
        endpoint: parseEndpoint(host),
        region: 'ap-guangzhou',
        credentials: { ...ACCOUNT_A, source: 'test' },
        now: timestamp * 1000,
      });
      expect(request.headers['X-TC-Version']).toBe('2018-08-13');
      expect(request.headers.Authorization).toBe(
        sdkAuthorization({ url: host, body: request.body, timestamp, secretId: ACCOUNT_A.secretId, secretKey: ACCOUNT_A.secretKey, contentType: 'application/json', service: 'sts' }),
      );
      expect(request.headers.Authorization).toContain('/sts/tc3_request');
    }
  });
});
