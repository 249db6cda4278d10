/**
 * Credentials without long-lived keys, end to end: the built binary against the emulator playing STS and the CVM
 * metadata service, and a GitHub Actions token service stand-in on loopback. Every source of the chain, whoami,
 * a role's account keeping its own settings, many accounts through roles, the one-line errors, and that no
 * temporary key, token or identity token ever reaches an output, --debug included.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { makeTempHome, runTcss, type TcssResult, type TempHome } from '../helpers/cli.js';

const BASE = { secretId: 'AKIDBASE00000000000000000000000000', secretKey: 'baseSecretKey000000000000000000000' };
const TOKENED = { secretId: 'AKIDTOKENED000000000000000000000000', secretKey: 'tokenedSecretKey0000000000000000000', token: 'terraform-style-token-0000' };
const ROLE = 'qcs::cam::uin/200000000002:roleName/tcss-admin';
const ROLE_B = 'qcs::cam::uin/300000000003:roleName/tcss-admin';
const CVM_ROLE = 'qcs::cam::uin/400000000004:roleName/cvm-scanner';
const jwtOf = (sub: string) =>
  `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ iss: 'https://token.actions.githubusercontent.com', sub, aud: 'sts.tencentcloudapi.com' })).toString('base64url')}.c2lnLXNlY3JldC0${sub.length}`;
const JWT = jwtOf('repo:org/app:ref:refs/heads/main');
const RUNNER_TOKEN = 'runner-request-token-0000000000';

let emu: Emulator;
let github: Server;
let githubUrl: string;
const githubRequests: Array<{ url: string; authorization: string | undefined }> = [];
let home: TempHome;
const outputs: string[] = [];

function listen(server: Server | TcpServer): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

beforeAll(async () => {
  emu = await startEmulator({
    accounts: [BASE, TOKENED],
    sts: { oidcProviders: ['github', 'gitlab', 'tke-oidc'], webIdentityTokens: [JWT], cvmRole: CVM_ROLE },
  });
  github = createServer((req: IncomingMessage, res) => {
    githubRequests.push({ url: req.url ?? '', authorization: req.headers.authorization });
    if (req.headers.authorization !== `bearer ${RUNNER_TOKEN}`) {
      res.writeHead(401).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ value: JWT, count: 1 }));
  });
  githubUrl = `http://127.0.0.1:${await listen(github)}/_apis/token?api-version=2.0`;
});

afterAll(async () => {
  // Nothing secret in any output of the whole file: the base key, every key and token STS issued, the identity
  // token and the runner's request token.
  const secrets = [BASE.secretKey, TOKENED.secretKey, TOKENED.token, JWT, RUNNER_TOKEN, ...emu.issuedSecrets()];
  for (const out of outputs) for (const secret of secrets) expect(out).not.toContain(secret);
  await emu?.close();
  await new Promise((resolve) => github?.close(resolve));
});

beforeEach(async () => {
  home = await makeTempHome();
  emu.resetRequests();
  githubRequests.length = 0;
  return () => home.cleanup();
});

async function tcss(args: string[], env: Record<string, string> = {}, keys = true): Promise<TcssResult> {
  const result = await runTcss(args, {
    home: home.dir,
    env: {
      TCSS_ENDPOINT: emu.url,
      TCSS_STS_ENDPOINT: emu.url,
      TCSS_METADATA_ENDPOINT: emu.url,
      ...(keys ? { TENCENTCLOUD_SECRET_ID: BASE.secretId, TENCENTCLOUD_SECRET_KEY: BASE.secretKey } : {}),
      ...env,
    },
  });
  outputs.push(result.stdout, result.stderr);
  return result;
}

const count = (action: string) => emu.requests.filter((r) => r.action === action).length;
const line = (out: string, label: string) => out.split('\n').find((l) => l.startsWith(label))?.slice(label.length).trim();

describe('whoami', () => {
  it('shows the base key\'s account; --output json gives the API\'s fields', async () => {
    const text = await tcss(['whoami']);
    expect(text.exitCode, text.stderr).toBe(0);
    expect(line(text.stdout, 'Account (UIN)')).toBe('100000000001');
    expect(line(text.stdout, 'ARN')).toBe('qcs::cam::uin/100000000001:uin/100000000001');
    expect(line(text.stdout, 'Credentials')).toBe('the environment (TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY)');
    expect(line(text.stdout, 'Expires')).toBe('never (a permanent key)');
    const json = await tcss(['whoami', '--output', 'json']);
    const doc = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(Object.keys(doc).sort()).toEqual(['AccountId', 'Arn', 'PrincipalId', 'RequestId', 'Type', 'UserId']);
    expect(doc).toMatchObject({ AccountId: '100000000001', Type: 'CAMUser' });
    // Signed for STS: credential-scope service sts.
    const call = emu.requests.find((r) => r.action === 'GetCallerIdentity');
    expect(call?.headers.authorization).toMatch(/\/sts\/tc3_request/);
    expect(call?.headers['x-tc-version']).toBe('2018-08-13');
  });

  it('for a role: its account, the session, the base, and when the keys expire', async () => {
    const before = Date.now();
    const r = await tcss(['whoami', '--role-arn', ROLE, '--role-session-name', 'ci-run-7', '--role-duration', '900']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(line(r.stdout, 'Account (UIN)')).toBe('200000000002');
    expect(line(r.stdout, 'Type')).toBe('CAMRole');
    expect(line(r.stdout, 'User ID')).toMatch(/:ci-run-7$/);
    expect(line(r.stdout, 'Principal ID')).toBe('100000000001');
    expect(line(r.stdout, 'Credentials')).toBe(`STS AssumeRole ${ROLE} (from --role-arn; base: the environment (TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY))`);
    const expires = line(r.stdout, 'Expires') ?? '';
    expect(expires).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(in 1[45] min\)$/);
    expect(Date.parse(expires.split(' ')[0] as string) - before).toBeGreaterThan(890_000);
    const assume = emu.requests.find((r) => r.action === 'AssumeRole');
    expect(JSON.parse(assume?.body ?? '{}')).toEqual({ RoleArn: ROLE, RoleSessionName: 'ci-run-7', DurationSeconds: 900 });
    expect(assume?.headers.authorization).toMatch(new RegExp(`^TC3-HMAC-SHA256 Credential=${BASE.secretId}/\\d{4}-\\d\\d-\\d\\d/sts/tc3_request`));
    // The identity call used the temporary key with its token.
    const who = emu.requests.find((r) => r.action === 'GetCallerIdentity');
    expect(who?.secretId).toMatch(/^AKIDTMP/);
    expect(who?.token).toBe(true);
  });

  it('STS at "stsEndpoint" from the config file; TCSS_STS_ENDPOINT wins over it', async () => {
    await home.file('.tcssrc.json', JSON.stringify({ stsEndpoint: emu.url }));
    const r = await tcss(['whoami', '--debug'], { TCSS_STS_ENDPOINT: '' });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain(`debug: STS endpoint ${emu.url}/ from "stsEndpoint" in ~/.tcssrc.json\n`);
    const other = await tcss(['whoami'], { TCSS_STS_ENDPOINT: 'http://127.0.0.1:1' });
    expect(other.exitCode).toBe(4);
    expect(other.stderr).toMatch(/connection to 127\.0\.0\.1:1 was refused/);
  });

  it('--dry-run is refused: whoami changes nothing', async () => {
    const r = await tcss(['whoami', '--dry-run']);
    expect(r.exitCode).toBe(2);
    expect(count('GetCallerIdentity')).toBe(0);
  });
});

describe('STS AssumeRole', () => {
  it('a role set writes the role\'s account, and a get through the role reads it back: one STS call per run', async () => {
    const set = await tcss(['image-scan', 'set', '--enable', '--scan-time', '03:15', '--role-arn', ROLE]);
    expect(set.exitCode, set.stderr).toBe(0);
    expect(count('AssumeRole')).toBe(1);
    const create = emu.requests.find((r) => r.action === 'CreateAssetImageScanSetting');
    expect(create?.secretId).toMatch(/^AKIDTMP/);
    expect(create?.token).toBe(true);
    expect(create?.headers['x-tc-token']).toBe('<redacted>');
    expect(emu.settingsOf('uin:200000000002')).toMatchObject({ Enable: true, ScanTime: '03:15:00' });
    expect(emu.settingsOf(BASE.secretId)).toBeUndefined();

    const get = await tcss(['image-scan', 'get', '--output', 'json'], { TENCENTCLOUD_ROLE_ARN: ROLE, TENCENTCLOUD_ROLE_SESSION_NAME: 'tccli-style' });
    expect(get.exitCode, get.stderr).toBe(0);
    expect(JSON.parse(get.stdout)).toMatchObject({ Enable: true, ScanTime: '03:15:00' });
    expect(count('AssumeRole')).toBe(2);
    expect(JSON.parse(emu.requests.filter((r) => r.action === 'AssumeRole')[1]?.body ?? '{}')).toMatchObject({ RoleSessionName: 'tccli-style', DurationSeconds: 3600 });
    // The base account still has its own (default) settings.
    const base = await tcss(['image-scan', 'get', '--output', 'json']);
    expect(JSON.parse(base.stdout)).toMatchObject({ Enable: false });
  });

  it('from a tccli profile (role-arn + role-session-name) and from the SDK file (role_arn)', async () => {
    await home.tccli('prod', { secretId: BASE.secretId, secretKey: BASE.secretKey, 'role-arn': ROLE, 'role-session-name': 'from-tccli' });
    await home.sdkIni({ staging: { secret_id: BASE.secretId, secret_key: BASE.secretKey, role_arn: ROLE_B, role_session_name: 'from-sdk' } });
    const prod = await tcss(['whoami', '--profile', 'prod'], {}, false);
    expect(prod.exitCode, prod.stderr).toBe(0);
    expect(line(prod.stdout, 'Account (UIN)')).toBe('200000000002');
    expect(line(prod.stdout, 'User ID')).toMatch(/:from-tccli$/);
    const staging = await tcss(['whoami', '--profile', 'staging'], {}, false);
    expect(line(staging.stdout, 'Account (UIN)')).toBe('300000000003');
    expect(line(staging.stdout, 'User ID')).toMatch(/:from-sdk$/);
  });

  it('a role that cannot be assumed: exit 3, the STS code and message on one line, a hint', async () => {
    const strict = await startEmulator({ accounts: [BASE], sts: { roles: [ROLE_B] } });
    try {
      const r = await tcss(['image-scan', 'get', '--role-arn', ROLE], { TCSS_ENDPOINT: strict.url, TCSS_STS_ENDPOINT: strict.url });
      expect(r.exitCode).toBe(3);
      const [first, hint] = r.stderr.split('\n');
      expect(first).toMatch(
        /^Error \[ResourceNotFound\.RoleNotExist\]: the role qcs::cam::uin\/200000000002:roleName\/tcss-admin \(from --role-arn\) cannot be assumed: STS answered ResourceNotFound\.RoleNotExist: The role .* does not exist or may not be assumed\. \(RequestId [0-9a-f-]+\)$/,
      );
      expect(hint).toMatch(/^hint: .*trust policy/);
      expect(strict.requests.some((q) => q.action === 'DescribeAssetImageScanSetting')).toBe(false);
    } finally {
      await strict.close();
    }
  });
});

describe('dry runs and a refused base key', () => {
  it('a dry run through a role asks STS for nothing and says why the request is unsigned', async () => {
    const r = await tcss(['image-scan', 'get', '--dry-run', '--role-arn', ROLE]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(emu.requests).toEqual([]);
    expect(r.stderr).toBe(
      `dry run: nothing was sent; the credentials would come from STS AssumeRole ${ROLE} (from --role-arn; base: the environment (TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY)), which a dry run does not ask for, so the request above is unsigned\n`,
    );
  });

  it('a base key STS refuses: the STS code, and a hint about the base key rather than the role', async () => {
    const r = await tcss(['whoami', '--role-arn', ROLE], { TENCENTCLOUD_SECRET_KEY: 'wrongBaseKey00000000000000000000' });
    outputs.push('wrongBaseKey00000000000000000000');
    expect(r.exitCode).toBe(3);
    const [first, hint] = r.stderr.split('\n');
    expect(first).toMatch(/^Error \[AuthFailure\.SignatureFailure\]: the role .* \(from --role-arn\) cannot be assumed: STS answered AuthFailure\.SignatureFailure: /);
    expect(hint).toBe('hint: STS refused the base credential itself: check the key that signs AssumeRole (tcss whoami without --role-arn shows it)');
    expect(r.stderr).not.toContain('wrongBaseKey00000000000000000000');
  });
});

describe('CVM instance role', () => {
  it('--use-cvm-role and a tccli profile of type cvm-role read the metadata service', async () => {
    const flag = await tcss(['whoami', '--use-cvm-role'], {}, false);
    expect(flag.exitCode, flag.stderr).toBe(0);
    expect(line(flag.stdout, 'Account (UIN)')).toBe('400000000004');
    expect(line(flag.stdout, 'Credentials')).toMatch(/^the CVM instance role \(--use-cvm-role, metadata service 127\.0\.0\.1:\d+\): role cvm-scanner$/);
    await home.tccli('default', { type: 'cvm-role' });
    const profile = await tcss(['image-scan', 'get', '--output', 'json'], {}, false);
    expect(profile.exitCode, profile.stderr).toBe(0);
    expect(emu.requests.find((r) => r.action === 'DescribeAssetImageScanSetting')?.secretId).toMatch(/^AKIDTMP/);
  });

  it('is never asked unless chosen: no credentials is the usual error, not a probe', async () => {
    const r = await tcss(['image-scan', 'get', '--debug'], {}, false);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/Error \[Credentials\.Missing\]/);
    expect(r.stderr).not.toMatch(/metadata/);
  });

  it('off a CVM (the metadata service hangs): a short timeout and one clear line', async () => {
    const sockets: Socket[] = [];
    const hole = createTcpServer((s) => void sockets.push(s));
    const port = await listen(hole);
    try {
      const started = Date.now();
      const r = await tcss(['whoami', '--use-cvm-role'], { TCSS_METADATA_ENDPOINT: `http://127.0.0.1:${port}` }, false);
      expect(Date.now() - started).toBeLessThan(6000);
      expect(r.exitCode).toBe(2);
      expect(r.stderr.split('\n')[0]).toBe(
        `Error [Credentials.NoInstanceRole]: the CVM metadata service 127.0.0.1:${port} did not answer (no answer from 127.0.0.1:${port} within 1s): tcss does not seem to run on a Tencent Cloud CVM`,
      );
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => hole.close(resolve));
    }
  });

  it('no role bound to the instance', async () => {
    const bare = await startEmulator({ accounts: [BASE] });
    try {
      const r = await tcss(['whoami', '--use-cvm-role'], { TCSS_METADATA_ENDPOINT: bare.url }, false);
      expect(r.exitCode).toBe(2);
      expect(r.stderr.split('\n')[0]).toBe('Error [Credentials.NoInstanceRole]: no CAM role is bound to this CVM instance (the metadata service has no security credentials)');
      expect(r.stderr).toMatch(/hint: bind a role to the instance/);
    } finally {
      await bare.close();
    }
  });
});

describe('OIDC web identity', () => {
  const GH = { ACTIONS_ID_TOKEN_REQUEST_TOKEN: RUNNER_TOKEN, GITHUB_ACTIONS: 'true' };

  it('GitHub Actions: asks the runner for a token with the STS audience, exchanges it unsigned, no stored key', async () => {
    const r = await tcss(['whoami', '--oidc-provider-id', 'github', '--role-arn', ROLE, '--debug'], { ...GH, ACTIONS_ID_TOKEN_REQUEST_URL: githubUrl }, false);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(line(r.stdout, 'Account (UIN)')).toBe('200000000002');
    expect(line(r.stdout, 'Principal ID')).toBe('oidc:github');
    expect(githubRequests).toEqual([{ url: '/_apis/token?api-version=2.0&audience=sts.tencentcloudapi.com', authorization: `bearer ${RUNNER_TOKEN}` }]);
    const exchange = emu.requests.find((q) => q.action === 'AssumeRoleWithWebIdentity');
    expect(exchange?.headers.authorization).toBe('SKIP');
    expect(JSON.parse(exchange?.body ?? '{}')).toMatchObject({ ProviderId: 'github', WebIdentityToken: '<redacted>', RoleArn: ROLE });
    // The claims may be shown; the token itself never (checked for every output in afterAll).
    expect(r.stderr).toContain('"sub":"repo:org/app:ref:refs/heads/main"');
    expect(r.stderr).toMatch(/"WebIdentityToken":"<redacted>"/);
  });

  it('--oidc-audience changes the audience asked for', async () => {
    await tcss(['whoami', '--oidc-provider-id', 'github', '--role-arn', ROLE, '--oidc-audience', 'custom-aud'], { ...GH, ACTIONS_ID_TOKEN_REQUEST_URL: githubUrl }, false);
    expect(githubRequests[0]?.url).toBe('/_apis/token?api-version=2.0&audience=custom-aud');
  });

  it('GitHub without id-token: write: one line and the permission to add', async () => {
    const r = await tcss(['image-scan', 'get', '--oidc-provider-id', 'github', '--role-arn', ROLE], { GITHUB_ACTIONS: 'true' }, false);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe(
      'Error [Credentials.OidcToken]: --oidc-provider-id needs a GitHub OIDC token, but ACTIONS_ID_TOKEN_REQUEST_URL is not set: the job lacks the id-token permission\nhint: add "permissions: id-token: write" to the job (or the workflow)\n',
    );
    expect(emu.requests).toEqual([]);
  });

  it('a token file (GitLab and others); a missing one is one line', async () => {
    const file = await home.file('ci/id_token', `${JWT}\n`);
    const r = await tcss(['whoami', '--oidc-provider-id', 'gitlab', '--role-arn', ROLE_B, '--web-identity-token-file', file], {}, false);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(line(r.stdout, 'Account (UIN)')).toBe('300000000003');
    const missing = await tcss(['whoami', '--oidc-provider-id', 'gitlab', '--role-arn', ROLE_B, '--web-identity-token-file', `${home.dir}/nope`], {}, false);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr.split('\n')[0]).toBe('Error [Credentials.TokenFile]: cannot read the web identity token file ~/nope (--web-identity-token-file): it does not exist');
    // A device is refused before a byte is read (reading /dev/zero would never end).
    const device = await tcss(['whoami', '--oidc-provider-id', 'gitlab', '--role-arn', ROLE_B, '--web-identity-token-file', '/dev/zero'], {}, false);
    expect(device.exitCode).toBe(2);
    expect(device.stderr.split('\n')[0]).toBe('Error [Credentials.TokenFile]: the web identity token file /dev/zero is not a regular file (a device, pipe or socket) (--web-identity-token-file)');
    const big = await home.file('ci/big_token', 'x'.repeat(2 * 1024 * 1024));
    const large = await tcss(['whoami', '--oidc-provider-id', 'gitlab', '--role-arn', ROLE_B, '--web-identity-token-file', big], {}, false);
    expect(large.exitCode).toBe(2);
    expect(large.stderr.split('\n')[0]).toMatch(/^Error \[Credentials\.TokenFile\]: the web identity token file ~\/ci\/big_token is over \d+ bytes/);
  });

  it('TKE: the four variables, the region from TKE_REGION', async () => {
    const file = await home.file('tke/token', JWT);
    const r = await tcss(['image-scan', 'get', '--output', 'json'], { TKE_REGION: 'ap-shanghai', TKE_PROVIDER_ID: 'tke-oidc', TKE_WEB_IDENTITY_TOKEN_FILE: file, TKE_ROLE_ARN: ROLE }, false);
    expect(r.exitCode, r.stderr).toBe(0);
    const exchange = emu.requests.find((q) => q.action === 'AssumeRoleWithWebIdentity');
    expect(exchange?.region).toBe('ap-shanghai');
    expect(JSON.parse(exchange?.body ?? '{}')).toMatchObject({ ProviderId: 'tke-oidc', RoleArn: ROLE });
    expect(emu.requests.find((q) => q.action === 'DescribeAssetImageScanSetting')?.secretId).toMatch(/^AKIDTMP/);
  });

  it('a token STS does not accept: exit 3 naming the role', async () => {
    const file = await home.file('ci/other', jwtOf('repo:evil/fork'));
    const r = await tcss(['whoami', '--oidc-provider-id', 'gitlab', '--role-arn', ROLE, '--web-identity-token-file', file], {}, false);
    expect(r.exitCode).toBe(3);
    expect(r.stderr.split('\n')[0]).toMatch(/^Error \[InvalidParameter\.WebIdentityTokenError\]: the role .* cannot be assumed with the web identity token: STS answered/);
    outputs.push(jwtOf('repo:evil/fork'));
    expect(r.stdout + r.stderr).not.toContain(jwtOf('repo:evil/fork'));
  });
});

describe('TENCENTCLOUD_SECURITY_TOKEN', () => {
  it('is sent as X-TC-Token with the key pair', async () => {
    const r = await tcss(['image-scan', 'get'], { TENCENTCLOUD_SECRET_ID: TOKENED.secretId, TENCENTCLOUD_SECRET_KEY: TOKENED.secretKey, TENCENTCLOUD_SECURITY_TOKEN: TOKENED.token }, false);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(emu.requests[0]?.token).toBe(true);
    const without = await tcss(['image-scan', 'get'], { TENCENTCLOUD_SECRET_ID: TOKENED.secretId, TENCENTCLOUD_SECRET_KEY: TOKENED.secretKey }, false);
    expect(without.exitCode).toBe(3);
  });
});

describe('many accounts through roles', () => {
  it('apply --profiles: one base key, a role per member account, each signed with its own keys; the table shows each UIN', async () => {
    await home.tccli('member-a', { 'role-arn': ROLE, 'role-session-name': 'org-a' });
    await home.tccli('member-b', { 'role-arn': ROLE_B, 'role-session-name': 'org-b' });
    await home.file('policy.yaml', 'enable: true\nscanTime: "04:45"\n');
    const r = await tcss(['image-scan', 'apply', '-f', 'policy.yaml', '--yes', '--profiles', 'member-a,member-b']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ACCOUNT +UIN +OUTCOME +REQUESTID \/ ERROR$/m);
    expect(r.stdout).toMatch(/^member-a +200000000002 +changed +[0-9a-f-]{36}$/m);
    expect(r.stdout).toMatch(/^member-b +300000000003 +changed +[0-9a-f-]{36}$/m);
    expect(count('AssumeRole')).toBe(2);
    expect(emu.settingsOf('uin:200000000002')).toMatchObject({ Enable: true, ScanTime: '04:45:00' });
    expect(emu.settingsOf('uin:300000000003')).toMatchObject({ Enable: true, ScanTime: '04:45:00' });
    const writers = new Set(emu.requests.filter((q) => q.action === 'CreateAssetImageScanSetting').map((q) => q.secretId));
    expect(writers.size).toBe(2);
    for (const id of writers) expect(id).toMatch(/^AKIDTMP/);

    const json = await tcss(['image-scan', 'diff', '-f', 'policy.yaml', '--all-profiles', '--output', 'json']);
    expect(json.exitCode, json.stderr).toBe(0);
    const doc = JSON.parse(json.stdout) as { accounts: Array<{ account: string; uin?: string; outcome: string }> };
    expect(doc.accounts.map((a) => [a.account, a.uin, a.outcome])).toEqual([
      ['member-a', '200000000002', 'unchanged'],
      ['member-b', '300000000003', 'unchanged'],
    ]);
  });

  it('keys that near their expiry during a run are replaced before the next call: one more STS call, no failure', async () => {
    await home.tccli('short', { 'role-arn': ROLE, 'role-session-name': 'short-lived' });
    await home.file('late.yaml', 'enable: true\nscanTime: "05:05"\n');
    // 31-second keys are replaced 30 s before they expire; the Describe answer comes 1.5 s late.
    emu.injectFault({ kind: 'delay', delayMs: 1500, action: 'DescribeAssetImageScanSetting' });
    const r = await tcss(['image-scan', 'apply', '-f', 'late.yaml', '--yes', '--profiles', 'short', '--role-duration', '31']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(count('AssumeRole')).toBe(2);
    const describe = emu.requests.find((q) => q.action === 'DescribeAssetImageScanSetting');
    const create = emu.requests.find((q) => q.action === 'CreateAssetImageScanSetting');
    expect(create?.secretId).toMatch(/^AKIDTMP/);
    expect(create?.secretId).not.toBe(describe?.secretId);
    expect(emu.settingsOf('uin:200000000002')).toMatchObject({ ScanTime: '05:05:00' });
  });

  it('STS calls wait for the same rate limit as the API calls', async () => {
    const names = Array.from({ length: 16 }, (_, i) => `m${i}`);
    for (const [i, name] of names.entries()) await home.tccli(name, { 'role-arn': `qcs::cam::uin/${500000000000 + i}:roleName/r`, 'role-session-name': name });
    await home.file('p.yaml', 'enable: false\n');
    const r = await tcss(['image-scan', 'diff', '-f', 'p.yaml', '--all-profiles', '--concurrency', '16']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(count('AssumeRole')).toBe(16);
    const times = emu.requests.map((q) => q.at).sort((a, b) => a - b);
    expect(times).toHaveLength(32);
    // tcss sends at most 15/s after a burst of 4, STS included: the 32 requests take at least (32 - 4) / 15 s (the 16
    // AssumeRole calls alone, unlimited, would go at once), and no one-second window holds more than the API's 20.
    expect((times[31] as number) - (times[0] as number)).toBeGreaterThan(1700);
    for (const start of times) expect(times.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(20);
  });

  it('--role-arn with --profiles is refused: each account\'s role comes from its profile', async () => {
    await home.file('x.yaml', 'enable: true\n');
    const r = await tcss(['image-scan', 'diff', '-f', 'x.yaml', '--profiles', 'a', '--role-arn', ROLE]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^Error \[Usage\.Conflict\]: --role-arn cannot be used with --profiles/);
  });
});

describe('--debug', () => {
  it('shows the chain in order and where the keys came from, never a secret', async () => {
    const r = await tcss(['image-scan', 'get', '--debug', '--role-arn', ROLE]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /debug: credential chain: --oidc-provider-id: not given; --use-cvm-role: not given; env keys: found; role: qcs::cam::uin\/200000000002:roleName\/tcss-admin \(from --role-arn\)\n/,
    );
    expect(r.stderr).toMatch(/debug: credentials from STS AssumeRole .* \(SecretId AKIDTMP\w+, temporary, expire \d{4}-/);
    for (const secret of emu.issuedSecrets()) expect(r.stderr + r.stdout).not.toContain(secret);
  });
});
