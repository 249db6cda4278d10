/**
 * The built binary against the local emulator (started in this process on 127.0.0.1, port 0): set then get,
 * JSON output, API and network errors, dry runs, profile files, tokens, the region header, and no secret in
 * any output of any case.
 */
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { makeTempHome, runTcss, type TcssResult, type TempHome } from '../helpers/cli.js';

const ID = 'AKIDe2eRoundTrip0000000000000001';
const KEY = 'E2eKeyDistinctive9f8e7d6c5b4a3210';
const TOKEN_ID = 'AKIDe2eTokenAccount0000000000002';
const TOKEN_KEY = 'E2eTokenKeyDistinctive1a2b3c4d5e6';
const TOKEN = 'E2eSessionTokenDistinctive7f8a9b0c1d2e3f';
const WRONG_KEY = 'E2eWrongKeyDistinctive0011223344';
const SECRETS = [KEY, TOKEN_KEY, TOKEN, WRONG_KEY];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let emulator: Emulator;
let home: TempHome;
const outputs: string[] = [];

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    accounts: [
      { secretId: ID, secretKey: KEY },
      { secretId: TOKEN_ID, secretKey: TOKEN_KEY, token: TOKEN },
    ],
    rateLimitPerSecond: 0,
  });
});
afterAll(async () => {
  await emulator.close();
  // Belt and braces: every output of every case, once more.
  for (const output of outputs) for (const secret of SECRETS) expect(output).not.toContain(secret);
});
beforeEach(async () => {
  home = await makeTempHome();
  emulator.resetRequests();
  emulator.clearFaults();
});
afterEach(() => home.cleanup());

const ENV_KEYS = { TENCENTCLOUD_SECRET_ID: ID, TENCENTCLOUD_SECRET_KEY: KEY };

/** Runs the binary against the emulator; checks that no secret reached stdout or stderr. */
async function tcss(args: string[], env: Record<string, string | undefined> = ENV_KEYS): Promise<TcssResult> {
  const result = await runTcss(args, { home: home.dir, env: { TCSS_ENDPOINT: emulator.url, ...env } });
  const all = result.stdout + result.stderr;
  outputs.push(all);
  for (const secret of SECRETS) expect(all).not.toContain(secret);
  expect(all).not.toMatch(/\n\s+at .+[:(]\d+/);
  expect(result.timedOut).toBe(false);
  return result;
}

describe('set then get', () => {
  it('round trip in text: non-TTY set prints only the RequestId; get shows the settings', async () => {
    const set = await tcss([
      'image-scan', 'set', '--enable', '--scan-time', '01:30', '--scan-end-time', '04:00', '--scan-period', '7',
      '--scan-virus', '--no-scan-risk', '--scan-vul', '--scan-scope', 'selected', '--images', 'sha256:aa,sha256:bb', '--exclude-images', 'nginx:1',
    ]);
    expect(set.exitCode).toBe(0);
    expect(set.stderr).toBe('');
    expect(set.stdout).toMatch(/^[0-9a-f-]{36}\n$/);
    // A plain set reads the current settings first, then writes every field.
    expect(emulator.requests.map((r) => r.action)).toEqual(['DescribeAssetImageScanSetting', 'CreateAssetImageScanSetting']);
    const request = emulator.requests[1];
    expect(request).toMatchObject({ action: 'CreateAssetImageScanSetting', secretId: ID, status: 200, token: false });
    expect(request?.errorCode).toBeUndefined();
    expect(set.stdout.trim()).toBe(request?.requestId);
    expect(JSON.parse(request?.body ?? '')).toStrictEqual({
      Enable: true, ScanTime: '01:30', ScanEndTime: '04:00', ScanPeriod: 7, ScanVirus: true, ScanRisk: false, ScanVul: true,
      ContainerRunning: false, ScanScope: 1, Images: ['sha256:aa', 'sha256:bb'], ExcludeImages: ['nginx:1'], ClusterIDs: [],
    });

    const get = await tcss(['image-scan', 'get']);
    expect(get.exitCode).toBe(0);
    expect(get.stderr).toBe('');
    const rows = Object.fromEntries(get.stdout.trimEnd().split('\n').map((line) => {
      const m = /^(.+?)\s{2,}(.*)$/.exec(line);
      return [m?.[1], m?.[2]];
    }));
    expect(rows).toStrictEqual({
      Enabled: 'enabled',
      'Start time (UTC)': '01:30',
      'End time (UTC)': '04:00',
      Period: '7',
      'Scan for trojans': 'yes',
      'Scan for sensitive information': 'no',
      'Scan for vulnerabilities': 'yes',
      'Only images with running containers': 'no',
      Scope: 'selected (1: selected images (--images))',
      Images: 'sha256:aa, sha256:bb',
      'Excluded images': 'nginx:1',
      'Cluster IDs': '(none)',
      'Last scan': 'never',
      RequestId: emulator.requests[2]?.requestId,
    });
  });

  it('a second set changes only what it is given; --replace states flags, config and defaults only', async () => {
    const first = await tcss([
      'image-scan', 'set', '--enable', '--scan-time', '01:00', '--scan-scope', 'cluster', '--cluster-ids', 'cls-1', '--exclude-images', 'sha256:x',
      '--scan-end-time', '05:00', '--container-running', '--scan-vul',
    ]);
    expect(first.exitCode).toBe(0);
    const second = await tcss(['image-scan', 'set', '--enable', '--scan-time', '02:00']);
    expect(second.exitCode).toBe(0);
    expect(second.stderr).toBe('');
    expect(emulator.settingsOf(ID)).toMatchObject({
      Enable: true, ScanTime: '02:00:00', ScanEndTime: '05:00:00', ScanScope: 3, ClusterIDs: ['cls-1'], ExcludeImages: ['sha256:x'], ContainerRunning: true, ScanVul: true,
    });
    // Clearing: none for the end time and each list.
    const cleared = await tcss(['image-scan', 'set', '--scan-end-time', 'none', '--exclude-images', 'none', '--scan-scope', 'all', '--cluster-ids', 'none']);
    expect(cleared.exitCode).toBe(0);
    expect(emulator.settingsOf(ID)).toMatchObject({ ScanTime: '02:00:00', ScanEndTime: '', ScanScope: 0, ClusterIDs: [], ExcludeImages: [], ContainerRunning: true });
    emulator.resetRequests();
    const replace = await tcss(['image-scan', 'set', '--replace', '--enable', '--scan-time', '03:00']);
    expect(replace.exitCode).toBe(0);
    expect(emulator.requests.map((r) => r.action)).toEqual(['CreateAssetImageScanSetting']);
    expect(JSON.parse(emulator.requests[0]?.body ?? '')).toStrictEqual({
      Enable: true, ScanTime: '03:00', ScanPeriod: 1, ScanVirus: true, ScanRisk: true, ScanVul: true, ContainerRunning: false, ScanScope: 0, Images: [], ExcludeImages: [], ClusterIDs: [],
    });
  });

  it('warns on stderr about lists the scope ignores and about scans with no scanner, and sends all the same', async () => {
    const result = await tcss(['image-scan', 'set', '--replace', '--enable', '--scan-time', '01:00', '--images', 'x', '--cluster-ids', 'c', '--no-scan-virus', '--no-scan-risk', '--no-scan-vul']);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe(
      'warning: --images has no effect unless the scope is "selected" (--scan-scope selected); the scope is "all"\n' +
        'warning: --cluster-ids has no effect unless the scope is "cluster" (--scan-scope cluster); the scope is "all"\n' +
        'warning: scans are on with every scanner off (--scan-virus, --scan-risk and --scan-vul): nothing would be scanned\n',
    );
  });

  it('without permission to read, plain set fails with a hint naming --replace and writes nothing', async () => {
    emulator.injectFault({ kind: 'api-error', action: 'DescribeAssetImageScanSetting', code: 'UnauthorizedOperation', message: 'no permission' });
    const result = await tcss(['image-scan', 'set', '--enable', '--scan-time', '01:00']);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toMatch(/^Error \[UnauthorizedOperation\]: no permission \(RequestId [0-9a-f-]+\)\nhint: .*pass --replace to write/);
    expect(emulator.requests.map((r) => r.action)).toEqual(['DescribeAssetImageScanSetting']);
  });

  it('round trip in JSON: each --output json run prints exactly one JSON document, the Response', async () => {
    const set = await tcss(['--output', 'json', 'image-scan', 'set', '--replace', '--disable', '--scan-time', '23:59', '--scan-scope', 'cluster', '--cluster-ids', 'cls-1', '--cluster-ids', 'cls-2', '--container-running']);
    expect(set.exitCode).toBe(0);
    expect(set.stderr).toBe('');
    expect(JSON.parse(set.stdout)).toStrictEqual({ RequestId: emulator.requests[0]?.requestId });

    const get = await tcss(['image-scan', 'get', '--output', 'json']);
    expect(get.exitCode).toBe(0);
    expect(get.stderr).toBe('');
    const doc = JSON.parse(get.stdout) as Record<string, unknown>;
    expect(doc).not.toHaveProperty('Response');
    expect(doc.RequestId).toMatch(UUID);
    expect(doc).toMatchObject({
      Enable: false, ScanTime: '23:59:00', ScanPeriod: 1, ScanVirus: true, ScanRisk: true, ScanVul: true,
      ContainerRunning: true, ScanScope: 3, ClusterIDs: ['cls-1', 'cls-2'],
    });
    const { RequestId: _id, ...stored } = doc;
    expect(stored).toStrictEqual(emulator.settingsOf(ID));
  });

  it('TCSS_OUTPUT=json gives JSON too', async () => {
    const get = await tcss(['image-scan', 'get'], { ...ENV_KEYS, TCSS_OUTPUT: 'json' });
    expect(get.exitCode).toBe(0);
    expect((JSON.parse(get.stdout) as { RequestId: string }).RequestId).toMatch(UUID);
  });

  it('a config file supplies the settings and the endpoint', async () => {
    await home.file('.tcssrc.json', JSON.stringify({ endpoint: emulator.url, imageScan: { enable: true, scanTime: '05:05', scanPeriod: 3 } }));
    const set = await tcss(['image-scan', 'set', '--replace', '--no-scan-vul'], { ...ENV_KEYS, TCSS_ENDPOINT: undefined });
    expect(set.exitCode).toBe(0);
    expect(JSON.parse(emulator.requests[0]?.body ?? '')).toStrictEqual({
      Enable: true, ScanTime: '05:05', ScanPeriod: 3, ScanVirus: true, ScanRisk: true, ScanVul: false, ContainerRunning: false, ScanScope: 0, Images: [], ExcludeImages: [], ClusterIDs: [],
    });
  });
});

describe('API errors: exit 3, one line with the code and RequestId, and a hint', () => {
  it('a wrong key → AuthFailure.SignatureFailure', async () => {
    const before = JSON.stringify(emulator.settingsOf(ID));
    const result = await tcss(['image-scan', 'set', '--enable', '--scan-time', '01:00'], { TENCENTCLOUD_SECRET_ID: ID, TENCENTCLOUD_SECRET_KEY: WRONG_KEY });
    expect(result.exitCode).toBe(3);
    expect(result.stdout).toBe('');
    const requestId = emulator.requests[0]?.requestId;
    expect(requestId).toMatch(UUID);
    expect(result.stderr).toBe(
      `Error [AuthFailure.SignatureFailure]: The provided credentials could not be validated. Please check your signature is correct. (RequestId ${requestId})\n` +
        'hint: check the SecretId/SecretKey pair: a typo, a deleted key, or one pasted with extra characters; --debug shows where tcss read them\n',
    );
    expect(JSON.stringify(emulator.settingsOf(ID))).toBe(before);
  });

  it('an unknown SecretId → AuthFailure.SecretIdNotFound', async () => {
    const result = await tcss(['image-scan', 'get'], { TENCENTCLOUD_SECRET_ID: 'AKIDnobody', TENCENTCLOUD_SECRET_KEY: KEY });
    expect(result.exitCode).toBe(3);
    expect(result.stderr.split('\n')[0]).toMatch(/^Error \[AuthFailure\.SecretIdNotFound\]: .+ \(RequestId [0-9a-f-]{36}\)$/);
  });

  it('with --output json the API error is one JSON document on stderr', async () => {
    const result = await tcss(['image-scan', 'get', '--output', 'json'], { TENCENTCLOUD_SECRET_ID: ID, TENCENTCLOUD_SECRET_KEY: WRONG_KEY });
    expect(result.exitCode).toBe(3);
    expect(result.stdout).toBe('');
    expect(JSON.parse(result.stderr)).toMatchObject({ error: { code: 'AuthFailure.SignatureFailure', requestId: emulator.requests[0]?.requestId, exitCode: 3 } });
  });

  it('an injected service error keeps its code and message', async () => {
    emulator.injectFault({ kind: 'api-error', code: 'FailedOperation.AuthorizedNotEnough', message: 'not enough licenses' });
    const result = await tcss(['image-scan', 'set', '--enable', '--scan-time', '01:00']);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toMatch(/^Error \[FailedOperation\.AuthorizedNotEnough\]: not enough licenses \(RequestId [0-9a-f-]{36}\)\nhint: not enough TCSS licenses are authorized for this scan\n$/);
  });
});

describe('no valid answer: exit 4', () => {
  it('a closed port', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = server.address() as { port: number };
        server.close(() => resolve(p));
      });
    });
    // --retries 0: one attempt (retries of a refused connection are covered in robust.test.ts).
    const result = await tcss(['image-scan', 'get', '--retries', '0'], { ...ENV_KEYS, TCSS_ENDPOINT: `http://127.0.0.1:${port}` });
    expect(result.exitCode).toBe(4);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`Error [Network.Refused]: connection to 127.0.0.1:${port} was refused\nhint: check --endpoint and that the service is up\n`);
  });

  it('an HTML page instead of the API answer', async () => {
    emulator.injectFault({ kind: 'html', times: 5 });
    const result = await tcss(['image-scan', 'get']);
    expect(result.exitCode).toBe(4);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toMatch(/^Error \[Network\.\w+\]: /);
  });
});

describe('nothing is sent', () => {
  it('by a dry run, even with credentials', async () => {
    for (const args of [['image-scan', 'set', '--replace', '--enable', '--scan-time', '01:00', '--dry-run'], ['image-scan', 'get', '--dry-run', '--output', 'json']]) {
      const result = await tcss(args);
      expect(result.exitCode).toBe(0);
      expect(result.stderr).toBe('dry run: nothing was sent (signature redacted)\n');
    }
    expect(emulator.requests).toHaveLength(0);
  });

  it('for a validation error, or missing credentials', async () => {
    expect((await tcss(['image-scan', 'set', '--enable', '--scan-time', '24:00'])).exitCode).toBe(2);
    expect((await tcss(['image-scan', 'get'], {})).exitCode).toBe(2);
    expect(emulator.requests).toHaveLength(0);
  });
});

describe('credentials from profile files', () => {
  it('tccli JSON profile (default)', async () => {
    await home.tccli('default', { secretId: ID, secretKey: KEY });
    const result = await tcss(['image-scan', 'get'], {});
    expect(result.exitCode).toBe(0);
    expect(emulator.requests[0]?.secretId).toBe(ID);
  });

  it('SDK INI profile chosen with --profile, over env keys', async () => {
    await home.sdkIni({ default: { secret_id: 'AKIDother', secret_key: 'other' }, prod: { secret_id: ID, secret_key: `  ${KEY}  ` } });
    const result = await tcss(['--profile', 'prod', 'image-scan', 'get'], { TENCENTCLOUD_SECRET_ID: 'AKIDnobody', TENCENTCLOUD_SECRET_KEY: WRONG_KEY });
    expect(result.exitCode).toBe(0);
    expect(emulator.requests[0]?.secretId).toBe(ID);
  });

  it('tccli profile chosen with TCCLI_PROFILE, with a token', async () => {
    await home.tccli('temp', { secretId: TOKEN_ID, secretKey: TOKEN_KEY, token: TOKEN });
    const result = await tcss(['image-scan', 'get'], { TCCLI_PROFILE: 'temp' });
    expect(result.exitCode).toBe(0);
    expect(emulator.requests[0]).toMatchObject({ secretId: TOKEN_ID, token: true });
  });
});

describe('headers', () => {
  it('the session token is sent as X-TC-Token (env TENCENTCLOUD_SESSION_TOKEN or TENCENTCLOUD_TOKEN)', async () => {
    for (const name of ['TENCENTCLOUD_SESSION_TOKEN', 'TENCENTCLOUD_TOKEN']) {
      emulator.resetRequests();
      const result = await tcss(['image-scan', 'get'], { TENCENTCLOUD_SECRET_ID: TOKEN_ID, TENCENTCLOUD_SECRET_KEY: TOKEN_KEY, [name]: TOKEN });
      expect(result.exitCode).toBe(0);
      expect(emulator.requests[0]?.token).toBe(true);
      expect(emulator.requests[0]?.headers).toHaveProperty('x-tc-token');
    }
  });

  it('without the token the temporary account is refused with AuthFailure.TokenFailure', async () => {
    const result = await tcss(['image-scan', 'get'], { TENCENTCLOUD_SECRET_ID: TOKEN_ID, TENCENTCLOUD_SECRET_KEY: TOKEN_KEY });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toMatch(/^Error \[AuthFailure\.TokenFailure\]: .+\nhint: temporary credentials expired or do not match the key: get a fresh token\n$/);
  });

  it('X-TC-Region only when a region is set; X-TC-Language only when a language is set', async () => {
    await tcss(['image-scan', 'get']);
    await tcss(['--region', 'ap-guangzhou', '--language', 'en-US', 'image-scan', 'get']);
    await tcss(['image-scan', 'get'], { ...ENV_KEYS, TCSS_REGION: 'ap-singapore' });
    const [none, flagged, fromEnv] = emulator.requests;
    expect(none?.headers).not.toHaveProperty('x-tc-region');
    expect(none?.headers).not.toHaveProperty('x-tc-language');
    expect(none?.region).toBeUndefined();
    expect(flagged).toMatchObject({ region: 'ap-guangzhou', language: 'en-US', status: 200 });
    expect(fromEnv?.region).toBe('ap-singapore');
  });

  it('the signed request carries the documented headers', async () => {
    await tcss(['image-scan', 'get']);
    const headers = emulator.requests[0]?.headers ?? {};
    expect(headers['content-type']).toBe('application/json');
    expect(headers['x-tc-action']).toBe('DescribeAssetImageScanSetting');
    expect(headers['x-tc-version']).toBe('2020-11-01');
    expect(headers['x-tc-timestamp']).toMatch(/^\d{10}$/);
    expect(Math.abs(Number(headers['x-tc-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    expect(headers['x-tc-requestclient']).toMatch(/^tcss\/\d+\.\d+\.\d+/);
    expect(headers.authorization).toMatch(new RegExp(`^TC3-HMAC-SHA256 Credential=${ID}/\\d{4}-\\d{2}-\\d{2}/tcss/tc3_request, SignedHeaders=content-type;host, Signature=`));
  });
});

describe('--debug against the emulator', () => {
  it('shows the canonical request and timings, never the key', async () => {
    const result = await tcss(['--debug', 'image-scan', 'set', '--replace', '--enable', '--scan-time', '01:00'], { TENCENTCLOUD_SECRET_ID: TOKEN_ID, TENCENTCLOUD_SECRET_KEY: TOKEN_KEY, TENCENTCLOUD_SESSION_TOKEN: TOKEN });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain('debug: canonical request:\nPOST\n/\n\ncontent-type:application/json\nhost:127.0.0.1\n');
    expect(result.stderr).toMatch(/debug: HTTP 200 in \d+ ms, \d+ bytes/);
    expect(result.stderr).toContain('"X-TC-Token":"<redacted>"');
    expect(result.stdout.trim()).toBe(emulator.requests[0]?.requestId);
  });
});
