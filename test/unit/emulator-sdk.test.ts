/**
 * Faithfulness: the official Node SDK's CommonClient talks to the emulator as it talks to the real API.
 * The SDK derives the credential-scope service from the endpoint's first label, so the endpoint must start
 * with `tcss.`; an agent whose lookup answers 127.0.0.1 routes that name to the emulator without DNS. The
 * SDK then signs `host:tcss.emulator.test` and sends `Host: tcss.emulator.test:<port>`, as it would in
 * production (minus the port).
 */
import { Agent } from 'node:http';
import type { LookupFunction } from 'node:net';
import { CommonClient } from 'tencentcloud-sdk-nodejs-common';
import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/types.js';
import { ACCOUNT_A, ACCOUNT_T, VALID_CREATE, startTestEmulator } from '../helpers/emulator-client.js';

let emulator: Emulator | undefined;
let agent: Agent | undefined;
afterEach(async () => {
  agent?.destroy();
  await emulator?.close();
  emulator = undefined;
});

const toLoopback: LookupFunction = (_hostname, options, callback) => {
  if (options.all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
};

interface SdkProfile {
  signMethod?: 'TC3-HMAC-SHA256' | 'HmacSHA256' | 'HmacSHA1';
  reqMethod?: 'POST' | 'GET';
  language?: 'zh-CN' | 'en-US';
  /** Default `tcss.emulator.test:<port>`, routed to 127.0.0.1 by the agent's lookup. */
  endpoint?: string;
}

function sdkClient(
  emu: Emulator,
  credential: { secretId: string; secretKey: string; token?: string },
  region?: string,
  profile: SdkProfile = {},
): CommonClient {
  agent = new Agent({ lookup: toLoopback, keepAlive: false });
  const { reqMethod, endpoint, ...rest } = profile;
  return new CommonClient('tcss.tencentcloudapi.com', '2020-11-01', {
    credential,
    region: region ?? '',
    profile: { ...rest, httpProfile: { endpoint: endpoint ?? `tcss.emulator.test:${emu.port}`, protocol: 'http://', reqTimeout: 10, agent, ...(reqMethod ? { reqMethod } : {}) } },
  });
}

const WRONG_A = { secretId: ACCOUNT_A.secretId, secretKey: 'wrong-key-of-account-a' };

describe('emulator: the official tencentcloud-sdk-nodejs-common client', () => {
  it('creates and describes settings', async () => {
    emulator = await startTestEmulator();
    const client = sdkClient(emulator, ACCOUNT_A);
    const created = (await client.request('CreateAssetImageScanSetting', { ...VALID_CREATE, Images: ['sha256:525b6e9f'] })) as Record<string, unknown>;
    expect(created).toEqual({ RequestId: expect.any(String) });
    const described = (await client.request('DescribeAssetImageScanSetting', {})) as Record<string, unknown>;
    expect(described).toMatchObject({ Enable: true, ScanTime: '01:00:00', ScanEndTime: '02:00:00', Images: ['sha256:525b6e9f'], RequestId: expect.any(String) });
    expect(emulator.requests.map((r) => [r.action, r.status, r.errorCode])).toEqual([
      ['CreateAssetImageScanSetting', 200, undefined],
      ['DescribeAssetImageScanSetting', 200, undefined],
    ]);
    expect(emulator.requests[0]?.headers.host).toBe(`tcss.emulator.test:${emulator.port}`);
  });

  it('works with a session token and a region', async () => {
    emulator = await startTestEmulator();
    const client = sdkClient(emulator, ACCOUNT_T, 'ap-guangzhou');
    await expect(client.request('DescribeAssetImageScanSetting', {})).resolves.toMatchObject({ Enable: false });
    expect(emulator.requests[0]).toMatchObject({ token: true, region: 'ap-guangzhou' });
  });

  it('surfaces the emulator errors as the SDK surfaces API errors', async () => {
    emulator = await startTestEmulator();
    const client = sdkClient(emulator, { secretId: ACCOUNT_A.secretId, secretKey: 'wrong' });
    await expect(client.request('DescribeAssetImageScanSetting', {})).rejects.toMatchObject({
      code: 'AuthFailure.SignatureFailure',
      requestId: expect.any(String),
    });
    const valid = sdkClient(emulator, ACCOUNT_A);
    await expect(valid.request('CreateAssetImageScanSetting', { ...VALID_CREATE, ScanScope: 9 })).rejects.toMatchObject({
      code: 'InvalidParameterValue.DataRange',
    });
  });

  it('rejects an endpoint of 127.0.0.1:<port>, as the real API would: the SDK then signs for service "127"', async () => {
    emulator = await startTestEmulator();
    agent = new Agent({ keepAlive: false });
    const client = new CommonClient(`127.0.0.1:${emulator.port}`, '2020-11-01', {
      credential: ACCOUNT_A,
      profile: { httpProfile: { endpoint: `127.0.0.1:${emulator.port}`, protocol: 'http://', reqTimeout: 10, agent } },
    });
    await expect(client.request('DescribeAssetImageScanSetting', {})).rejects.toMatchObject({ code: 'AuthFailure.InvalidAuthorization' });
  });

  const forms: [string, SdkProfile][] = [
    ['TC3, GET', { reqMethod: 'GET' }],
    ['HmacSHA1, POST form', { signMethod: 'HmacSHA1' }],
    ['HmacSHA1, GET', { signMethod: 'HmacSHA1', reqMethod: 'GET' }],
    ['HmacSHA256, POST form', { signMethod: 'HmacSHA256' }],
    ['HmacSHA256, GET', { signMethod: 'HmacSHA256', reqMethod: 'GET' }],
  ];
  it.each(forms)('%s: creates and describes with the right key, is refused with a wrong one', async (_name, profile) => {
    emulator = await startTestEmulator();
    const client = sdkClient(emulator, ACCOUNT_A, undefined, profile);
    const body = { ...VALID_CREATE, ScanTime: '2020-12-28 15:53:26', Images: ['sha256:525b6e9f', 'nginx:1'], ScanScope: 1 };
    await expect(client.request('CreateAssetImageScanSetting', body)).resolves.toEqual({ RequestId: expect.any(String) });
    await expect(client.request('DescribeAssetImageScanSetting', {})).resolves.toMatchObject({
      Enable: true, ScanTime: '15:53:26', ScanEndTime: '02:00:00', Images: ['sha256:525b6e9f', 'nginx:1'], ScanScope: 1,
    });
    agent?.destroy();
    const wrong = sdkClient(emulator, WRONG_A, undefined, profile);
    await expect(wrong.request('DescribeAssetImageScanSetting', {})).rejects.toMatchObject({ code: 'AuthFailure.SignatureFailure' });
    expect(emulator.requests.map((r) => r.status)).toEqual([200, 200, 200]);
  });

  it('Signature v1 works with an IP endpoint too (it has no credential scope)', async () => {
    emulator = await startTestEmulator();
    const client = sdkClient(emulator, ACCOUNT_A, undefined, { signMethod: 'HmacSHA256', endpoint: `127.0.0.1:${emulator.port}` });
    await expect(client.request('DescribeAssetImageScanSetting', {})).resolves.toMatchObject({ Enable: false });
  });

  it.each([
    ['TC3', {}],
    ['HmacSHA1', { signMethod: 'HmacSHA1' }],
  ] as [string, SdkProfile][])('%s: a session token, and an empty token (which the SDK sends as an empty header or leaves out)', async (_name, profile) => {
    emulator = await startTestEmulator();
    await expect(sdkClient(emulator, ACCOUNT_T, 'ap-guangzhou', profile).request('DescribeAssetImageScanSetting', {})).resolves.toMatchObject({ Enable: false });
    agent?.destroy();
    await expect(sdkClient(emulator, { ...ACCOUNT_A, token: '' }, undefined, profile).request('DescribeAssetImageScanSetting', {})).resolves.toMatchObject({ Enable: false });
    expect(emulator.requests.map((r) => r.token)).toEqual([true, false]);
  });

  it.each([
    ['TC3', {}],
    ['HmacSHA1', { signMethod: 'HmacSHA1' }],
  ] as [string, SdkProfile][])('%s: language zh-CN gets Chinese messages, en-US English', async (_name, profile) => {
    emulator = await startTestEmulator();
    const zh = sdkClient(emulator, WRONG_A, undefined, { ...profile, language: 'zh-CN' }).request('DescribeAssetImageScanSetting', {});
    await expect(zh).rejects.toMatchObject({ code: 'AuthFailure.SignatureFailure', message: expect.stringMatching(/[\u4e00-\u9fff]/) });
    agent?.destroy();
    const en = sdkClient(emulator, WRONG_A, undefined, { ...profile, language: 'en-US' }).request('DescribeAssetImageScanSetting', {});
    await expect(en).rejects.toMatchObject({ message: expect.stringMatching(/^[\x20-\x7e]+$/) });
  });
});
