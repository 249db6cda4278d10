/**
 * The credential chain's order as a table (which provider answers for which set-up, without a network call), its
 * one-line errors, and the role providers against the in-process emulator's STS: one call per identity per run,
 * refreshed before expiry (clock injected), secrets handed to the redaction hook as soon as they arrive.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStsCaller } from '../../src/core/api/index.js';
import { CredentialCache, jwtClaims, planCredentials, refreshMarginMs, type CredentialDeps, type CredentialQuery } from '../../src/core/credentials/index.js';
import { redactBody } from '../../src/core/api/index.js';
import { UsageError } from '../../src/core/errors.js';
import { parseEndpoint } from '../../src/core/http/index.js';
import type { Emulator } from '../../src/emulator/types.js';
import { makeTempHome, type TempHome } from '../helpers/cli.js';
import { ACCOUNT_A, startTestEmulator } from '../helpers/emulator-client.js';

let home: TempHome;
beforeEach(async () => {
  home = await makeTempHome();
});
afterEach(async () => {
  await home.cleanup();
});

const KEYS = { TENCENTCLOUD_SECRET_ID: 'AKIDenv', TENCENTCLOUD_SECRET_KEY: 'env-secret-key' };
const ROLE = 'qcs::cam::uin/200000000002:roleName/tcss-admin';
const TKE = { TKE_REGION: 'ap-guangzhou', TKE_PROVIDER_ID: 'tke-oidc', TKE_WEB_IDENTITY_TOKEN_FILE: '/var/run/secrets/tke/token', TKE_ROLE_ARN: ROLE };
const NOW = Date.UTC(2026, 0, 1);

interface Row {
  name: string;
  env?: Record<string, string>;
  tccli?: Record<string, Record<string, string>>;
  sdk?: Record<string, Record<string, string>>;
  flags?: CredentialQuery['flags'];
  profile?: string;
  provider: string | undefined;
  describe?: string;
}

const ENV_SOURCE = 'the environment (TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY)';
const CHAIN: Row[] = [
  { name: 'nothing configured', provider: undefined },
  { name: 'env keys', env: KEYS, provider: 'env', describe: ENV_SOURCE },
  { name: 'env keys before the tccli profile', env: KEYS, tccli: { default: { secretId: 'AKIDt', secretKey: 'tk' } }, provider: 'env' },
  { name: 'tccli before the SDK file', tccli: { default: { secretId: 'AKIDt', secretKey: 'tk' } }, sdk: { default: { secret_id: 'AKIDs', secret_key: 'sk' } }, provider: 'tccli', describe: '~/.tccli/default.credential' },
  { name: 'the SDK file last of the files', sdk: { default: { secret_id: 'AKIDs', secret_key: 'sk' } }, provider: 'sdk-file', describe: '~/.tencentcloud/credentials [default]' },
  { name: 'env keys before TKE', env: { ...KEYS, ...TKE }, provider: 'env' },
  { name: 'tccli before TKE', env: TKE, tccli: { default: { secretId: 'AKIDt', secretKey: 'tk' } }, provider: 'tccli' },
  {
    name: 'TKE when all four are set',
    env: TKE,
    provider: 'web-identity',
    describe: `STS AssumeRoleWithWebIdentity ${ROLE} (TKE_* variables; provider tke-oidc, token file /var/run/secrets/tke/token (TKE_WEB_IDENTITY_TOKEN_FILE))`,
  },
  { name: 'TKE with three of four: not used', env: { ...TKE, TKE_PROVIDER_ID: '' }, provider: undefined },
  { name: '--use-cvm-role before env keys', env: KEYS, flags: { useCvmRole: true }, provider: 'cvm-role', describe: 'the CVM instance role (--use-cvm-role, metadata service metadata.tencentyun.com)' },
  {
    name: '--oidc-provider-id before everything',
    env: KEYS,
    flags: { oidcProviderId: 'gitlab', roleArn: ROLE, webIdentityTokenFile: '/tmp/jwt' },
    provider: 'web-identity',
    describe: `STS AssumeRoleWithWebIdentity ${ROLE} (--oidc-provider-id; provider gitlab, token file /tmp/jwt (--web-identity-token-file))`,
  },
  {
    name: 'GitHub Actions token when no file is given',
    env: { ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.actions.example/x?a=1', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'runner-token' },
    flags: { oidcProviderId: 'github', roleArn: ROLE },
    provider: 'web-identity',
    describe: `STS AssumeRoleWithWebIdentity ${ROLE} (--oidc-provider-id; provider github, GitHub Actions ID token)`,
  },
  { name: 'TENCENTCLOUD_ROLE_ARN on the env keys', env: { ...KEYS, TENCENTCLOUD_ROLE_ARN: ROLE }, provider: 'sts-role', describe: `STS AssumeRole ${ROLE} (from TENCENTCLOUD_ROLE_ARN; base: ${ENV_SOURCE})` },
  {
    name: '--role-arn wins over TENCENTCLOUD_ROLE_ARN',
    env: { ...KEYS, TENCENTCLOUD_ROLE_ARN: 'qcs::cam::uin/9:roleName/other' },
    flags: { roleArn: ROLE },
    provider: 'sts-role',
    describe: `STS AssumeRole ${ROLE} (from --role-arn; base: ${ENV_SOURCE})`,
  },
  {
    name: 'a chosen profile skips env keys and env role',
    env: { ...KEYS, TENCENTCLOUD_ROLE_ARN: ROLE, ...TKE },
    tccli: { prod: { secretId: 'AKIDp', secretKey: 'pk' } },
    profile: 'prod',
    provider: 'tccli',
    describe: '~/.tccli/prod.credential',
  },
  {
    name: 'a profile with role-arn alone is assumed with the env keys',
    env: KEYS,
    tccli: { prod: { 'role-arn': ROLE, 'role-session-name': 'ci-prod' } },
    profile: 'prod',
    provider: 'sts-role',
    describe: `STS AssumeRole ${ROLE} (from "role-arn" in ~/.tccli/prod.credential; base: ${ENV_SOURCE})`,
  },
  {
    name: 'a profile with keys and role-arn assumes it with its keys',
    env: KEYS,
    tccli: { prod: { secretId: 'AKIDp', secretKey: 'pk', 'role-arn': ROLE } },
    profile: 'prod',
    provider: 'sts-role',
    describe: `STS AssumeRole ${ROLE} (from "role-arn" in ~/.tccli/prod.credential; base: ~/.tccli/prod.credential)`,
  },
  { name: 'a tccli profile of type cvm-role', tccli: { default: { type: 'cvm-role' } }, provider: 'cvm-role', describe: 'the CVM instance role ("type": "cvm-role" in ~/.tccli/default.credential, metadata service metadata.tencentyun.com)' },
  {
    name: 'the SDK file with role_arn',
    sdk: { default: { secret_id: 'AKIDs', secret_key: 'sk', role_arn: ROLE } },
    provider: 'sts-role',
    describe: `STS AssumeRole ${ROLE} (from "role_arn" in ~/.tencentcloud/credentials [default]; base: ~/.tencentcloud/credentials [default])`,
  },
  {
    name: '--role-arn on the instance role',
    flags: { useCvmRole: true, roleArn: ROLE },
    provider: 'sts-role',
    describe: `STS AssumeRole ${ROLE} (from --role-arn; base: the CVM instance role (--use-cvm-role, metadata service metadata.tencentyun.com))`,
  },
];

async function plan(row: Pick<Row, 'env' | 'tccli' | 'sdk' | 'flags' | 'profile'>) {
  for (const [name, data] of Object.entries(row.tccli ?? {})) await home.tccli(name, data);
  if (row.sdk) await home.sdkIni(row.sdk);
  return planCredentials({ env: row.env ?? {}, profile: row.profile ?? 'default', profileExplicit: row.profile !== undefined, home: home.dir, flags: row.flags ?? {} }, NOW);
}

describe('the chain order', () => {
  it.each(CHAIN)('$name → $provider', async (row) => {
    const { source, trace } = await plan(row);
    expect(source?.provider).toBe(row.provider);
    if (row.describe) expect(source?.describe).toBe(row.describe);
    // --debug shows every provider looked at, in order.
    expect(trace[0]).toMatch(/^--oidc-provider-id: /);
  });

  it('TENCENTCLOUD_SECURITY_TOKEN is the token when the other two are not set; the SDK name still wins', async () => {
    const one = await (await plan({ env: { ...KEYS, TENCENTCLOUD_SECURITY_TOKEN: 'tf-token' } })).source?.resolve({ now: () => NOW, cache: new CredentialCache() });
    expect(one?.token).toBe('tf-token');
    const two = await (await plan({ env: { ...KEYS, TENCENTCLOUD_SECURITY_TOKEN: 'tf-token', TENCENTCLOUD_SESSION_TOKEN: 'sdk-token' } })).source?.resolve({ now: () => NOW, cache: new CredentialCache() });
    expect(two?.token).toBe('sdk-token');
  });

  it('the default session name is tcss- and the time; the profile and flag names are used as given', async () => {
    const source = (await plan({ env: { ...KEYS, TENCENTCLOUD_ROLE_ARN: ROLE } })).source;
    const bodies: Array<Record<string, unknown>> = [];
    const deps: CredentialDeps = {
      now: () => NOW,
      cache: new CredentialCache(),
      sts: async (request) => {
        bodies.push(request.body);
        return { Credentials: { TmpSecretId: 'AKIDtmp', TmpSecretKey: 'tmpkey', Token: 'tok' }, ExpiredTime: NOW / 1000 + 3600, RequestId: 'r' };
      },
    };
    await source?.resolve(deps);
    expect(bodies).toEqual([{ RoleArn: ROLE, RoleSessionName: `tcss-${NOW / 1000}`, DurationSeconds: 3600 }]);
  });
});

describe('one-line errors', () => {
  const cases: Array<[string, Pick<Row, 'env' | 'flags' | 'tccli' | 'profile'>, RegExp, RegExp?]> = [
    ['--oidc-provider-id without --role-arn', { flags: { oidcProviderId: 'github' } }, /^--oidc-provider-id needs --role-arn/],
    ['a token file without a provider', { flags: { webIdentityTokenFile: '/tmp/x' } }, /^--web-identity-token-file needs --oidc-provider-id/],
    ['GitHub without id-token: write', { env: { GITHUB_ACTIONS: 'true' }, flags: { oidcProviderId: 'github', roleArn: ROLE } }, /ACTIONS_ID_TOKEN_REQUEST_URL is not set: the job lacks the id-token permission$/, /permissions: id-token: write/],
    ['no token at all', { flags: { oidcProviderId: 'github', roleArn: ROLE } }, /none in a file \(--web-identity-token-file\) and not in GitHub Actions/],
    ['a bad role ARN', { env: KEYS, flags: { roleArn: 'arn:aws:iam::1:role/x' } }, /^--role-arn "arn:aws:iam::1:role\/x" is not a role ARN$/, /qcs::cam::uin\/ACCOUNT_UIN:roleName\/ROLE_NAME/],
    ['a duration over the maximum', { env: KEYS, flags: { roleArn: ROLE, roleDuration: '50000' } }, /^--role-duration "50000" is not valid: use a whole number of seconds from 1 to 43200$/],
    ['a role without a base credential', { env: { TENCENTCLOUD_ROLE_ARN: ROLE } }, /^TENCENTCLOUD_ROLE_ARN names a role, but there is no base credential to assume it with/],
    ['a role-arn profile without keys anywhere', { tccli: { prod: { 'role-arn': ROLE } }, profile: 'prod' }, /has a role ARN but no keys to assume it with/],
    ['a bad session name', { env: KEYS, flags: { roleArn: ROLE, roleSessionName: 'has space' } }, /^--role-session-name "has space" is not a valid role session name/],
    ['a session name with no role', { env: KEYS, flags: { roleSessionName: 'ci' } }, /^--role-session-name applies to a role, and no role is being assumed \(credentials from the environment/, /--role-arn/],
    ['a duration with no role', { env: KEYS, flags: { roleDuration: '900' } }, /^--role-duration applies to a role, and no role is being assumed/],
  ];
  it.each(cases)('%s', async (_name, row, message, hint) => {
    const error = await plan(row).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toMatch(message);
    expect((error as UsageError).message).not.toContain('\n');
    if (hint) expect((error as UsageError).hint).toMatch(hint);
  });

  it('a missing or unreadable token file is one line naming the file and the flag', async () => {
    const source = (await plan({ flags: { oidcProviderId: 'gitlab', roleArn: ROLE, webIdentityTokenFile: `${home.dir}/nope.jwt` } })).source;
    const error = await source?.resolve({ now: () => NOW, cache: new CredentialCache(), sts: async () => ({}) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe('cannot read the web identity token file ~/nope.jwt (--web-identity-token-file): it does not exist');
    expect((error as UsageError).code).toBe('Credentials.TokenFile');
  });
});

describe('roles against the emulator STS, clock injected', () => {
  let emulator: Emulator;
  let t = NOW;
  afterEach(async () => {
    await emulator?.close();
  });

  async function setUp() {
    t = Date.now();
    emulator = await startTestEmulator({ now: () => t });
    const secrets: string[] = [];
    const deps: CredentialDeps = {
      now: () => t,
      cache: new CredentialCache(),
      sts: createStsCaller({ endpoint: parseEndpoint(emulator.url), reliable: { timeoutMs: 5000, retries: 0, retryBaseMs: 1, clock: () => t } }),
      onSecret: (value) => secrets.push(value),
    };
    const { source } = planCredentials(
      { env: { TENCENTCLOUD_SECRET_ID: ACCOUNT_A.secretId, TENCENTCLOUD_SECRET_KEY: ACCOUNT_A.secretKey }, profile: 'default', profileExplicit: false, home: home.dir, flags: { roleArn: ROLE, roleDuration: '3600' } },
      t,
    );
    const assumeCalls = () => emulator.requests.filter((r) => r.action === 'AssumeRole').length;
    return { deps, source: source!, secrets, assumeCalls };
  }

  it('one STS call per identity, even for concurrent callers; refreshed once within the margin before expiry', async () => {
    const { deps, source, secrets, assumeCalls } = await setUp();
    const first = await Promise.all([source.resolve(deps), source.resolve(deps), source.resolve(deps)]);
    expect(assumeCalls()).toBe(1);
    expect(new Set(first.map((c) => c.secretId)).size).toBe(1);
    const creds = first[0]!;
    expect(creds.expiresAt).toBe(Math.floor(t / 1000) * 1000 + 3600_000);
    expect(creds.roleArn).toBe(ROLE);
    // Every issued secret reached the redaction hook.
    expect(secrets).toEqual(expect.arrayContaining(emulator.issuedSecrets()));
    expect(emulator.issuedSecrets()).toHaveLength(2);

    t += 30 * 60_000; // half an hour later: the same keys
    expect((await source.resolve(deps)).secretId).toBe(creds.secretId);
    expect(assumeCalls()).toBe(1);

    t = creds.expiresAt! - refreshMarginMs(3600_000) + 1000; // inside the margin: new keys, one more call
    const fresh = await source.resolve(deps);
    expect(fresh.secretId).not.toBe(creds.secretId);
    expect(assumeCalls()).toBe(2);
    expect((await source.resolve(deps)).secretId).toBe(fresh.secretId);
    expect(assumeCalls()).toBe(2);
  });

  it('the emulator refuses keys after they expire, as the service does', async () => {
    const { deps, source } = await setUp();
    const creds = await source.resolve(deps);
    t = creds.expiresAt! + 1000;
    const sts = createStsCaller({ endpoint: parseEndpoint(emulator.url), reliable: { timeoutMs: 5000, retries: 0, retryBaseMs: 1, clock: () => t } });
    await expect(sts({ action: 'GetCallerIdentity', body: {}, credentials: creds })).rejects.toMatchObject({ code: 'AuthFailure.TokenFailure' });
    const { callApiReliably } = await import('../../src/core/api/index.js');
    const describe = callApiReliably(
      { action: 'DescribeAssetImageScanSetting', body: {}, endpoint: parseEndpoint(emulator.url), credentials: creds },
      { timeoutMs: 5000, retries: 0, retryBaseMs: 1, clock: () => t },
    );
    await expect(describe).rejects.toMatchObject({ code: 'AuthFailure.TokenFailure', message: 'The token has expired: ask STS for new temporary keys.' });
  });

  it('a role that cannot be assumed: the STS code and message, one line, with a hint', async () => {
    t = Date.now();
    emulator = await startTestEmulator({ now: () => t, sts: { roles: ['qcs::cam::uin/1:roleName/only'] } });
    const deps: CredentialDeps = {
      now: () => t,
      cache: new CredentialCache(),
      sts: createStsCaller({ endpoint: parseEndpoint(emulator.url), reliable: { timeoutMs: 5000, retries: 0, retryBaseMs: 1, clock: () => t } }),
    };
    const { source } = planCredentials({ env: { TENCENTCLOUD_SECRET_ID: ACCOUNT_A.secretId, TENCENTCLOUD_SECRET_KEY: ACCOUNT_A.secretKey }, profile: 'default', profileExplicit: false, home: home.dir, flags: { roleArn: ROLE } }, t);
    const error = (await source!.resolve(deps).catch((e: unknown) => e)) as { code: string; message: string; hint: string; exitCode: number };
    expect(error.code).toBe('ResourceNotFound.RoleNotExist');
    expect(error.exitCode).toBe(3);
    expect(error.message).toMatch(new RegExp(`^the role ${ROLE.replace(/[/.]/g, '\\$&')} \\(from --role-arn\\) cannot be assumed: STS answered ResourceNotFound\\.RoleNotExist: The role .* does not exist or may not be assumed\\.$`));
    expect(error.hint).toMatch(/trust policy/);
  });
});

describe('secrets of the new sources', () => {
  it('a JWT shows its claims, never its signature or itself', () => {
    const payload = Buffer.from(JSON.stringify({ iss: 'https://token.actions.githubusercontent.com', sub: 'repo:org/app:ref:refs/heads/main', aud: 'sts.tencentcloudapi.com', exp: 1, secret: 'x' })).toString('base64url');
    const jwt = `eyJhbGciOiJSUzI1NiJ9.${payload}.c2lnbmF0dXJlLXNlY3JldA`;
    const claims = jwtClaims(jwt);
    expect(claims).toEqual({ iss: 'https://token.actions.githubusercontent.com', sub: 'repo:org/app:ref:refs/heads/main', aud: 'sts.tencentcloudapi.com', exp: 1 });
    expect(JSON.stringify(claims)).not.toContain('c2lnbmF0dXJlLXNlY3JldA');
    expect(jwtClaims('not-a-jwt')).toBeUndefined();
  });

  it('the debug body of AssumeRoleWithWebIdentity hides the token', () => {
    const body = JSON.stringify({ ProviderId: 'github', WebIdentityToken: 'eyJ.secret"quoted\\.sig', RoleArn: ROLE });
    const shown = redactBody(body);
    expect(shown).toBe(`{"ProviderId":"github","WebIdentityToken":"<redacted>","RoleArn":"${ROLE}"}`);
  });
});
