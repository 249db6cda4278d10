/**
 * Probes against the BUILT emulator (`tcss emulator` from dist/, in a child process): every request form the
 * official clients send, hand-signed by the tests' own signer (not src/core/signer), right key and wrong key;
 * the official Node SDK; the documented values; zh-CN; the options it refuses; --state across restarts and
 * after kill -9; the control API's hardening and the bounded request log.
 */
import { Agent } from 'node:http';
import type { LookupFunction } from 'node:net';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CommonClient } from 'tencentcloud-sdk-nodejs-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempHome, runTcss, type TempHome } from '../helpers/cli.js';
import { VALID_CREATE, callApi, callV1, errorCode, rawRequest, type ApiCall, type V1Call } from '../helpers/emulator-client.js';
import { startEmulatorProcess, type EmulatorProcess } from '../helpers/emulator-process.js';

// One account per group of tests: each SecretId has the API's budget of 20 requests a second.
const GROUPS = ['tc3', 'v1', 'values', 'sdk', 'control', 'state'] as const;
const IDS = GROUPS.map((_, i) => `AKIDe2eForms0000000000000000000${i}`);
const KEYS = GROUPS.map((_, i) => `E2eFormsKeyDistinctive5a6b7c8d9e0${i}`);
const WRONG = 'E2eFormsWrongKey000000000000000000';
const CJK = /[\u4e00-\u9fff]/;
const KEYS_ENV = { TCSS_EMULATOR_SECRET_ID: IDS.join(','), TCSS_EMULATOR_SECRET_KEY: KEYS.join(',') };
const account = (group: (typeof GROUPS)[number]): { secretId: string; secretKey: string } => {
  const i = GROUPS.indexOf(group);
  return { secretId: IDS[i] as string, secretKey: KEYS[i] as string };
};

let home: TempHome;
let emu: EmulatorProcess;

beforeAll(async () => {
  home = await makeTempHome();
  emu = await startEmulatorProcess(['--port', '0'], { home: home.dir, env: KEYS_ENV });
});
afterAll(async () => {
  await emu?.stop();
  // The emulator's own output never shows a key.
  for (const key of KEYS) expect(emu.stdout() + emu.stderr()).not.toContain(key);
  await home.cleanup();
});

let who = account('tc3');
const message = (res: { json: { Response: Record<string, unknown> } }): string => (res.json.Response.Error as { Message: string }).Message;

async function rightAndWrong(call: ApiCall): Promise<void> {
  expect(errorCode(await callApi(emu, { ...who, ...call }))).toBeUndefined();
  expect(errorCode(await callApi(emu, { ...who, ...call, secretKey: WRONG }))).toBe('AuthFailure.SignatureFailure');
}

async function rightAndWrongV1(call: V1Call): Promise<void> {
  const ok = await callV1(emu, { ...who, ...call });
  expect(errorCode(ok)).toBeUndefined();
  expect(errorCode(await callV1(emu, { ...who, ...call, secretKey: WRONG }))).toBe('AuthFailure.SignatureFailure');
}

describe('TC3 forms', () => {
  it('Host signed without the port (Node SDK)', () => rightAndWrong({ signedHost: '127.0.0.1' }));
  it('Host signed as sent, 127.0.0.1:PORT (Python SDK, tccli, curl)', () => rightAndWrong({ signedHost: `127.0.0.1:${emu.port}` }));
  it('Host: http://127.0.0.1:PORT, as tccli sends it with --endpoint http://…', () =>
    rightAndWrong({ signedHost: `http://127.0.0.1:${emu.port}`, headers: { Host: `http://127.0.0.1:${emu.port}` } }));
  it('GET with the parameters in the query (Images.0=…), form content type', async () => {
    const params = { Enable: 'true', ScanTime: '04:45', ScanPeriod: '3', ScanVirus: 'true', ScanRisk: 'false', ScanVul: 'true', ScanScope: '1', 'Images.0': 'sha256:525b6e9f', 'Images.1': 'nginx:1' };
    await rightAndWrong({ method: 'GET', action: 'CreateAssetImageScanSetting', params });
    const described = await callApi(emu, { ...who, method: 'GET' });
    expect(described.json.Response).toMatchObject({ ScanTime: '04:45:00', ScanPeriod: 3, ScanRisk: false, Images: ['sha256:525b6e9f', 'nginx:1'] });
  });
  it('X-TC-Content-SHA256: UNSIGNED-PAYLOAD', () => rightAndWrong({ action: 'CreateAssetImageScanSetting', body: VALID_CREATE, unsignedPayload: true }));
  it('an empty X-TC-Token is no token; a real one for permanent keys is TokenFailure', async () => {
    await rightAndWrong({ token: '' });
    expect(errorCode(await callApi(emu, { ...who, token: 'tok' }))).toBe('AuthFailure.TokenFailure');
  });
});

describe('Signature v1 forms', () => {
  beforeAll(() => {
    who = account('v1');
  });
  it('HmacSHA1, GET query', () => rightAndWrongV1({ method: 'GET', algorithm: 'HmacSHA1' }));
  it('HmacSHA256, GET query', () => rightAndWrongV1({ method: 'GET', algorithm: 'HmacSHA256' }));
  it('HmacSHA1, POST form', () => rightAndWrongV1({ method: 'POST', algorithm: 'HmacSHA1' }));
  it('HmacSHA256, POST form, with a Create', () =>
    rightAndWrongV1({ method: 'POST', algorithm: 'HmacSHA256', action: 'CreateAssetImageScanSetting', params: { Enable: 'True', ScanTime: '05:00', ScanPeriod: '1', ScanVirus: 'True', ScanRisk: 'True', ScanVul: 'True' } }));
  it('Token, Language and Region parameters, each failure with its code', async () => {
    expect(errorCode(await callV1(emu, { ...who, common: { Token: '' } }))).toBeUndefined();
    expect(errorCode(await callV1(emu, { ...who, common: { Token: 'tok' } }))).toBe('AuthFailure.TokenFailure');
    expect(errorCode(await callV1(emu, { ...who, common: { Region: '' } }))).toBe('InvalidParameterValue');
    expect(errorCode(await callV1(emu, { ...who, common: { Language: 'fr-FR' } }))).toBe('InvalidParameterValue');
    expect(errorCode(await callV1(emu, { ...who, common: { Nonce: undefined } }))).toBe('MissingParameter');
    expect(errorCode(await callV1(emu, { ...who, common: { Region: 'ap-guangzhou', Language: 'en-US' } }))).toBeUndefined();
    const zh = await callV1(emu, { ...who, secretKey: WRONG, common: { Language: 'zh-CN' } });
    expect(errorCode(zh)).toBe('AuthFailure.SignatureFailure');
    expect(message(zh)).toMatch(CJK);
  });
});

describe('values as the service documents them', () => {
  beforeAll(() => {
    who = account('values');
  });
  it('ScanEndTime "" and a full date-time ScanTime are accepted; Describe answers HH:MM:SS', async () => {
    const res = await callApi(emu, { ...who, action: 'CreateAssetImageScanSetting', body: { ...VALID_CREATE, ScanTime: '2020-12-28 15:53:26', ScanEndTime: '' } });
    expect(errorCode(res)).toBeUndefined();
    expect((await callApi(emu, who)).json.Response).toMatchObject({ ScanTime: '15:53:26', ScanEndTime: '' });
  });
  it('ScanPeriod: the CLI\'s range [1, 2147483647], and messages that agree with it', async () => {
    for (const period of ['0', '2147483648', '1e20']) {
      const body = `{"Enable":true,"ScanTime":"01:00","ScanPeriod":${period},"ScanVirus":true,"ScanRisk":true,"ScanVul":true}`;
      const res = await callApi(emu, { ...who, action: 'CreateAssetImageScanSetting', body });
      expect(errorCode(res)).toBe('InvalidParameterValue.DataRange');
      expect(message(res)).toMatch(/ is out of range \[1, 2147483647\]\.$/);
    }
    const cli = await runTcss(['image-scan', 'set', '--enable', '--scan-time', '01:00', '--scan-period', '0', '--dry-run'], { home: home.dir, env: { TENCENTCLOUD_SECRET_ID: who.secretId, TENCENTCLOUD_SECRET_KEY: who.secretKey } });
    expect(cli.exitCode).toBe(2);
    expect(cli.stderr).toContain('from 1 to 2147483647');
  });
  it('X-TC-Language zh-CN: Chinese; en-US or none: English', async () => {
    for (const [language, chinese] of [['zh-CN', true], ['en-US', false], [undefined, false]] as const) {
      const res = await callApi(emu, { ...who, action: 'CreateAssetImageScanSetting', body: { ...VALID_CREATE, ScanTime: '25:00' }, headers: { 'X-TC-Language': language } });
      expect(errorCode(res)).toBe('InvalidParameter.InvalidFormat');
      expect(CJK.test(message(res))).toBe(chinese);
    }
  });
});

describe('the official Node SDK (CommonClient)', () => {
  const toLoopback: LookupFunction = (_hostname, options, callback) => {
    if (options.all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
  };
  type Sign = { signMethod?: 'HmacSHA1' | 'HmacSHA256' };
  type Http = { reqMethod?: 'GET' | 'POST' };
  it.each([
    ['TC3 POST', {}, {}],
    ['TC3 GET', {}, { reqMethod: 'GET' }],
    ['HmacSHA1 POST', { signMethod: 'HmacSHA1' }, {}],
    ['HmacSHA256 GET', { signMethod: 'HmacSHA256' }, { reqMethod: 'GET' }],
  ] as [string, Sign, Http][])('%s, through a tcss.* host name that resolves to 127.0.0.1: right key and wrong key', async (_name, profile, http) => {
    const agent = new Agent({ lookup: toLoopback, keepAlive: false });
    try {
      const client = (secretKey: string) =>
        new CommonClient('tcss.tencentcloudapi.com', '2020-11-01', {
          credential: { secretId: account('sdk').secretId, secretKey },
          profile: { ...profile, httpProfile: { endpoint: `tcss.localhost.test:${emu.port}`, protocol: 'http://', reqTimeout: 10, agent, ...http } },
        });
      await expect(client(account('sdk').secretKey).request('DescribeAssetImageScanSetting', {})).resolves.toMatchObject({ RequestId: expect.any(String) });
      await expect(client(WRONG).request('DescribeAssetImageScanSetting', {})).rejects.toMatchObject({ code: 'AuthFailure.SignatureFailure' });
    } finally {
      agent.destroy();
    }
  });
});

describe('the control API and the request log', () => {
  beforeAll(() => {
    who = account('control');
  });
  it('refuses a foreign Origin or Host with 403, accepts the emulator\'s own address', async () => {
    const body = JSON.stringify({ kind: 'api-error', code: 'InternalError' });
    const refused: Record<string, string>[] = [
      { Host: `127.0.0.1:${emu.port}`, Origin: 'https://attacker.example', 'Content-Type': 'text/plain' },
      { Host: `attacker.example:${emu.port}` },
    ];
    for (const headers of refused) expect((await rawRequest(emu.url, { path: '/_emulator/faults', headers, body })).status).toBe(403);
    expect(errorCode(await callApi(emu, who))).toBeUndefined();
    expect((await rawRequest(emu.url, { path: '/_emulator/faults', body })).status).toBe(200);
    expect(errorCode(await callApi(emu, who))).toBe('InternalError');
  });

  it('escapes a fault code on its log line', async () => {
    const code = 'Evil\n2026-01-01T00:00:00.000Z FAKE LINE';
    expect((await rawRequest(emu.url, { path: '/_emulator/faults', body: JSON.stringify({ kind: 'api-error', code }) })).status).toBe(200);
    expect(errorCode(await callApi(emu, who))).toBe(code);
    await expect.poll(() => emu.stdout()).toContain('Evil\\x0a2026-01-01T00:00:00.000Z\\x20FAKE\\x20LINE');
    expect(emu.stdout()).not.toMatch(/^2026-01-01T00:00:00.000Z FAKE/m);
  });

  it('keeps the log small: big bodies are cut, also after DELETE', async () => {
    const big = JSON.stringify({ ...VALID_CREATE, Images: ['x'.repeat(1000 * 1024)] });
    for (let round = 0; round < 2; round++) {
      expect((await rawRequest(emu.url, { method: 'DELETE', path: '/_emulator/requests' })).status).toBe(204);
      for (let i = 0; i < 5; i++) await callApi(emu, { ...who, action: 'CreateAssetImageScanSetting', body: big });
      const listed = await rawRequest(emu.url, { method: 'GET', path: '/_emulator/requests' });
      expect(listed.status).toBe(200);
      expect((JSON.parse(listed.text) as unknown[]).length).toBe(5);
      expect(listed.body.length).toBeLessThan(5 * 20 * 1024);
    }
  });
});

describe('options', () => {
  it.each([['--dry-run'], ['--output', 'json'], ['--profile', 'x'], ['--region', 'ap-guangzhou']])('refuses %s with exit 2, before listening', async (...flag) => {
    const result = await runTcss(['emulator', ...flag, '--port', '0'], { home: home.dir, env: KEYS_ENV, timeoutMs: 10_000 });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).not.toContain('listening');
    expect(result.stderr).toContain(`${flag[0]} does not apply to tcss emulator`);
    const before = await runTcss([...flag, 'emulator', '--port', '0'], { home: home.dir, env: KEYS_ENV, timeoutMs: 10_000 });
    expect(before.exitCode).toBe(2);
  });

  it('--help lists only its own options, and says how Node SDK users point at it', async () => {
    const result = await runTcss(['emulator', '--help'], { home: home.dir });
    expect(result.exitCode).toBe(0);
    const options = [...result.stdout.matchAll(/^ {2}(?:-\w, )?(--[a-z][a-z-]*)/gm)].map((m) => m[1]);
    expect(options).toEqual(['--port', '--secret-id', '--secret-key', '--state', '--role', '--oidc-provider', '--oidc-token', '--cvm-role', '--help']);
    expect(result.stdout).toMatch(/Node SDK[\s\S]*begins with "tcss\."[\s\S]*127\.0\.0\.1/);
  });
});

describe('--state', () => {
  it('without keys is refused up front (exit 2)', async () => {
    const result = await runTcss(['emulator', '--state', join(home.dir, 'never.json')], { home: home.dir, timeoutMs: 10_000 });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/--state needs fixed keys/);
    await expect(stat(join(home.dir, 'never.json'))).rejects.toThrow();
  });

  it('/dev/zero, a directory: refused at once (exit 2)', async () => {
    await mkdir(join(home.dir, 'a-folder'), { recursive: true });
    for (const path of ['/dev/zero', join(home.dir, 'a-folder')]) {
      const started = Date.now();
      const result = await runTcss(['emulator', '--state', path], { home: home.dir, env: KEYS_ENV, timeoutMs: 10_000 });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(/Usage\.InvalidStateFile/);
      expect(Date.now() - started).toBeLessThan(5000);
    }
  });

  it('keeps the settings across restarts, mode 0600, no key in it; after kill -9 no temp file stays', async () => {
    who = account('state');
    const statePath = join(home.dir, 'state', 'tcss-state.json');
    await mkdir(join(home.dir, 'state'), { recursive: true });
    const first = await startEmulatorProcess(['--state', statePath], { home: home.dir, env: KEYS_ENV });
    expect(errorCode(await callApi(first, { ...who, action: 'CreateAssetImageScanSetting', body: { ...VALID_CREATE, ScanPeriod: 9 } }))).toBeUndefined();
    await first.kill9();
    // What a write cut by kill -9 leaves next to the file.
    await writeFile(`${statePath}.6f1c0a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b.tmp`, '{"half":');
    const second = await startEmulatorProcess(['--state', statePath], { home: home.dir, env: KEYS_ENV });
    try {
      expect((await callApi(second, who)).json.Response).toMatchObject({ ScanPeriod: 9, Enable: true });
      expect(await readdir(join(home.dir, 'state'))).toEqual(['tcss-state.json']);
      expect((await stat(statePath)).mode & 0o777).toBe(0o600);
      for (const key of KEYS) expect(await readFile(statePath, 'utf8')).not.toContain(key);
    } finally {
      await second.stop();
    }
  });
});
