/**
 * The credential chain against real files in a temporary HOME: env → ~/.tccli/<profile>.credential →
 * ~/.tencentcloud/credentials [profile], and what main() prints when nothing is found.
 */
import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { checkProfileName, describeSearch, findCredentials, listProfiles, loadCredentials, parseIni, type CredentialQuery } from '../../src/core/credentials/chain.js';
import { makeTempHome, type TempHome } from '../helpers/cli.js';
import { dryRunJson, runMain } from '../helpers/main.js';

let home: TempHome;
beforeEach(async () => {
  home = await makeTempHome();
});
afterEach(async () => {
  await home.cleanup();
});

const ENV_PAIR = { TENCENTCLOUD_SECRET_ID: 'AKIDenv', TENCENTCLOUD_SECRET_KEY: 'env-secret-key' };

function query(partial: Partial<CredentialQuery> = {}): CredentialQuery {
  return { env: {}, profile: 'default', profileExplicit: false, home: home.dir, ...partial };
}

async function usageError(promise: Promise<unknown>): Promise<UsageError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UsageError);
  return error as UsageError;
}

describe('environment', () => {
  it('reads the key pair', async () => {
    expect(await loadCredentials(query({ env: ENV_PAIR }))).toEqual({
      secretId: 'AKIDenv',
      secretKey: 'env-secret-key',
      source: 'the environment (TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY)',
    });
  });

  it('TENCENTCLOUD_SESSION_TOKEN and tccli\'s TENCENTCLOUD_TOKEN become the token, the SDK name first', async () => {
    expect((await loadCredentials(query({ env: { ...ENV_PAIR, TENCENTCLOUD_SESSION_TOKEN: 'sdk-token' } }))).token).toBe('sdk-token');
    expect((await loadCredentials(query({ env: { ...ENV_PAIR, TENCENTCLOUD_TOKEN: 'tccli-token' } }))).token).toBe('tccli-token');
    expect((await loadCredentials(query({ env: { ...ENV_PAIR, TENCENTCLOUD_SESSION_TOKEN: 'sdk-token', TENCENTCLOUD_TOKEN: 'tccli-token' } }))).token).toBe('sdk-token');
    expect((await loadCredentials(query({ env: ENV_PAIR }))).token).toBeUndefined();
  });

  it('trims whitespace and newlines around pasted keys', async () => {
    const creds = await loadCredentials(query({ env: { TENCENTCLOUD_SECRET_ID: '  AKIDenv\n', TENCENTCLOUD_SECRET_KEY: '\tenv-secret-key \r\n', TENCENTCLOUD_TOKEN: ' tok ' } }));
    expect(creds).toMatchObject({ secretId: 'AKIDenv', secretKey: 'env-secret-key', token: 'tok' });
  });

  it('refuses a key with whitespace inside, without printing it', async () => {
    const error = await usageError(loadCredentials(query({ env: { TENCENTCLOUD_SECRET_ID: 'AKID env', TENCENTCLOUD_SECRET_KEY: 'abc def-secret' } })));
    expect(error.message).toBe('the SecretId from the environment (TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY) contains spaces or characters a key never has');
    const keyError = await usageError(loadCredentials(query({ env: { TENCENTCLOUD_SECRET_ID: 'AKID', TENCENTCLOUD_SECRET_KEY: 'abc def-secret' } })));
    expect(keyError.message).not.toContain('def-secret');
  });

  it('a swapped pair (the key starts with AKID, the id does not) is refused before it is sent or shown', async () => {
    const error = await usageError(loadCredentials(query({ env: { TENCENTCLOUD_SECRET_ID: 'env-secret-key', TENCENTCLOUD_SECRET_KEY: 'AKIDenv' } })));
    expect(error.code).toBe('Credentials.Swapped');
    expect(`${error.message} ${error.hint}`).not.toMatch(/env-secret-key|AKIDenv/);
    // Both starting with AKID is not a swap tcss can see: the API decides.
    expect((await loadCredentials(query({ env: { TENCENTCLOUD_SECRET_ID: 'AKIDone', TENCENTCLOUD_SECRET_KEY: 'AKIDtwo' } }))).secretId).toBe('AKIDone');
  });

  it('half a pair is an error naming what is missing', async () => {
    const noKey = await usageError(loadCredentials(query({ env: { TENCENTCLOUD_SECRET_ID: 'AKIDenv' } })));
    expect(noKey.code).toBe('Credentials.Incomplete');
    expect(noKey.message).toBe('the environment (TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY) has a SecretId but no SecretKey');
    const noId = await usageError(loadCredentials(query({ env: { TENCENTCLOUD_SECRET_KEY: 'env-secret-key', TENCENTCLOUD_SECRET_ID: '  ' } })));
    expect(noId.message).toBe('the environment (TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY) has a SecretKey but no SecretId');
    expect(noId.message).not.toContain('env-secret-key');
  });

  it('env keys come before the profile files when no profile was chosen', async () => {
    await home.tccli('default', { secretId: 'AKIDtccli', secretKey: 'tccli-key' });
    expect((await loadCredentials(query({ env: ENV_PAIR }))).secretId).toBe('AKIDenv');
  });
});

describe('tccli profile file (~/.tccli/<profile>.credential)', () => {
  it('reads secretId, secretKey and token, trimmed', async () => {
    await home.tccli('default', { secretId: ' AKIDtccli ', secretKey: 'tccli-key\n', token: 'tccli-token' });
    expect(await loadCredentials(query())).toEqual({ secretId: 'AKIDtccli', secretKey: 'tccli-key', token: 'tccli-token', source: '~/.tccli/default.credential' });
  });

  it('reads a file that an editor saved with a byte-order mark', async () => {
    await home.file('.tccli/bom.credential', `\uFEFF${JSON.stringify({ secretId: 'AKIDbom', secretKey: 'bom-key' })}`);
    expect(await loadCredentials(query({ profile: 'bom', profileExplicit: true }))).toMatchObject({ secretId: 'AKIDbom', secretKey: 'bom-key' });
  });

  it('reads a named profile', async () => {
    await home.tccli('prod', { type: 'secret', secretId: 'AKIDprod', secretKey: 'prod-key' });
    expect((await loadCredentials(query({ profile: 'prod', profileExplicit: true }))).secretId).toBe('AKIDprod');
  });

  it('half a pair in the file is an error naming the file', async () => {
    await home.tccli('default', { secretId: 'AKIDtccli' });
    const error = await usageError(loadCredentials(query()));
    expect(error.message).toBe('~/.tccli/default.credential has a SecretId but no SecretKey');
  });

  it('invalid JSON is an error that does not echo the file', async () => {
    await home.file('.tccli/default.credential', '{"secretId": "AKID", "secretKey": "file-secret-value",,}');
    const error = await usageError(loadCredentials(query()));
    expect(error.message).toBe('~/.tccli/default.credential is not valid JSON');
    expect(`${error.message} ${error.hint}`).not.toContain('file-secret-value');
  });

  it('an unsupported credential type is named (cvm-role is supported now: see credential-chain.test.ts)', async () => {
    await home.tccli('default', { type: 'oauth' });
    const error = await usageError(loadCredentials(query()));
    expect(error.message).toBe('~/.tccli/default.credential uses credential type "oauth", which tcss does not support');
  });

  it('an unreadable file is an error, not "not found"', async () => {
    if (process.getuid?.() === 0) return; // root reads anything
    const path = await home.tccli('default', { secretId: 'AKID', secretKey: 'k' });
    await chmod(path, 0o000);
    const error = await usageError(loadCredentials(query()));
    expect(error.code).toBe('Config.Unreadable');
  });
});

describe('SDK INI file (~/.tencentcloud/credentials)', () => {
  const INI = [
    '# comment',
    '[default]',
    'secret_id = AKIDsdk',
    'secret_key =   sdk-key  ',
    '',
    '; another comment',
    '[ staging ]',
    'secret_id=AKIDstaging',
    'secret_key=staging-key',
    'token = staging-token',
    '[empty]',
  ].join('\r\n');

  it('reads the section of the profile, trimmed, CRLF or LF', async () => {
    await home.file('.tencentcloud/credentials', INI);
    expect(await loadCredentials(query())).toEqual({ secretId: 'AKIDsdk', secretKey: 'sdk-key', source: '~/.tencentcloud/credentials [default]' });
    expect(await loadCredentials(query({ profile: 'staging', profileExplicit: true }))).toEqual({
      secretId: 'AKIDstaging',
      secretKey: 'staging-key',
      token: 'staging-token',
      source: '~/.tencentcloud/credentials [staging]',
    });
  });

  it('a missing or empty section means not found', async () => {
    await home.file('.tencentcloud/credentials', INI);
    expect(await findCredentials(query({ profile: 'empty', profileExplicit: true }))).toBeUndefined();
    expect(await findCredentials(query({ profile: 'nope', profileExplicit: true }))).toBeUndefined();
  });

  it('the tccli file comes before the INI file for the same profile', async () => {
    await home.file('.tencentcloud/credentials', INI);
    await home.tccli('default', { secretId: 'AKIDtccli', secretKey: 'tccli-key' });
    expect((await loadCredentials(query())).secretId).toBe('AKIDtccli');
  });

  it('parseIni keeps "=" inside values', () => {
    expect(parseIni('[a]\nk = x=y==\n').get('a')?.get('k')).toBe('x=y==');
  });
});

describe('explicit profile', () => {
  it('prefers the profile files over env keys', async () => {
    await home.tccli('prod', { secretId: 'AKIDprod', secretKey: 'prod-key' });
    expect((await loadCredentials(query({ env: ENV_PAIR, profile: 'prod', profileExplicit: true }))).secretId).toBe('AKIDprod');
  });

  it('does not fall back to env keys when the profile is missing', async () => {
    const error = await usageError(loadCredentials(query({ env: ENV_PAIR, profile: 'prod', profileExplicit: true })));
    expect(error.message).toBe('no credentials found; looked in: ~/.tccli/prod.credential; ~/.tencentcloud/credentials [prod]');
    expect(error.hint).toBe('create the profile with "tccli configure --profile prod", or choose another with --profile');
  });

  for (const [how, args, env] of [
    ['--profile', ['--profile', 'prod'], {}],
    ['TCSS_PROFILE', [], { TCSS_PROFILE: 'prod' }],
    ['TCCLI_PROFILE', [], { TCCLI_PROFILE: 'prod' }],
  ] as const) {
    it(`chosen with ${how}, through main(): the file wins over env keys`, async () => {
      await home.sdkIni({ prod: { secret_id: 'AKIDprodini', secret_key: 'prod-ini-key' } });
      const result = await runMain([...args, 'image-scan', 'get', '--dry-run', '--output', 'json'], { home: home.dir, env: { ...ENV_PAIR, ...env } });
      expect(result.code).toBe(0);
      expect(dryRunJson(result).headers.Authorization).toMatch(/^TC3-HMAC-SHA256 Credential=AKIDprodini\//);
      expect(result.all).not.toContain('prod-ini-key');
    });
  }

  it('without a chosen profile, main() signs with the env keys', async () => {
    await home.tccli('default', { secretId: 'AKIDtccli', secretKey: 'tccli-key' });
    const result = await runMain(['image-scan', 'get', '--dry-run', '--output', 'json'], { home: home.dir, env: ENV_PAIR });
    expect(dryRunJson(result).headers.Authorization).toMatch(/Credential=AKIDenv\//);
  });
});

describe('missing credentials', () => {
  it('main() exits 2 listing every place looked in, and sends nothing', async () => {
    const result = await runMain(['image-scan', 'get'], { home: home.dir, env: { TCSS_ENDPOINT: 'http://127.0.0.1:9' } });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'Error [Credentials.Missing]: no credentials found; looked in: env TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY; ~/.tccli/default.credential; ~/.tencentcloud/credentials [default]\n' +
        'hint: export TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, or run "tccli configure"\n',
    );
  });

  it('with a profile chosen, the message names that profile\'s files', async () => {
    const result = await runMain(['--profile', 'ci', 'image-scan', 'set', '--enable', '--scan-time', '01:00'], { home: home.dir });
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe('Error [Credentials.Missing]: no credentials found; looked in: ~/.tccli/ci.credential; ~/.tencentcloud/credentials [ci]');
  });

  it('half a pair through main() is exit 2 and the key is not printed', async () => {
    const result = await runMain(['image-scan', 'get'], { home: home.dir, env: { TENCENTCLOUD_SECRET_KEY: 'lonely-secret-key' } });
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe('Error [Credentials.Incomplete]: the environment (TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY) has a SecretKey but no SecretId');
    expect(result.all).not.toContain('lonely-secret-key');
  });

  it('describeSearch lists the env only without a chosen profile', () => {
    expect(describeSearch(query())).toEqual(['env TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY', '~/.tccli/default.credential', '~/.tencentcloud/credentials [default]']);
    expect(describeSearch(query({ profile: 'x', profileExplicit: true }))).toEqual(['~/.tccli/x.credential', '~/.tencentcloud/credentials [x]']);
  });
});

describe('profile names', () => {
  it.each(['../x', '..', '.hidden', 'a/b', 'a\\b', '', 'x'.repeat(65), 'sp ace', 'nul\u0000'])('refuses %j', (name) => {
    expect(() => checkProfileName(name, '--profile')).toThrow(UsageError);
    expect(() => checkProfileName(name, '--profile')).toThrow(/^--profile ".*" is not a valid profile name: use letters, digits, "-", "_" or "."$/);
  });

  it.each(['default', 'prod-2', 'team_a', 'v1.2', 'X'])('accepts %j', (name) => {
    expect(checkProfileName(name, '--profile')).toBe(name);
  });

  it('a bad profile name from TCCLI_PROFILE or the config is refused before any file is read', async () => {
    const fromEnv = await runMain(['image-scan', 'get', '--dry-run'], { home: home.dir, env: { TCCLI_PROFILE: '../../etc/passwd' } });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toBe('Error [Usage.InvalidValue]: TCCLI_PROFILE "../../etc/passwd" is not a valid profile name: use letters, digits, "-", "_" or "."\n');
    await home.file('.tcssrc.json', JSON.stringify({ profile: 'a/b' }));
    const fromConfig = await runMain(['image-scan', 'get', '--dry-run'], { home: home.dir });
    expect(fromConfig.stderr).toBe('Error [Config.InvalidValue]: the value "a/b" of "profile" in ~/.tcssrc.json is not a valid profile name: use letters, digits, "-", "_" or "."\n');
  });
});

describe('listProfiles', () => {
  it('lists tccli and SDK profiles once each, sorted, skipping other files and bad names', async () => {
    await home.tccli('prod', { secretId: 'a', secretKey: 'b' });
    await home.tccli('default', { secretId: 'a', secretKey: 'b' });
    await home.file('.tccli/default.configure', '{}');
    await home.file('.tccli/notes.txt', 'x');
    await home.file('.tccli/bad name.credential', '{}');
    await home.sdkIni({ default: { secret_id: 'a', secret_key: 'b' }, staging: { secret_id: 'a', secret_key: 'b' } });
    expect(await listProfiles(home.dir)).toEqual(['default', 'prod', 'staging']);
  });

  it('is empty when there are no files', async () => {
    expect(await listProfiles(home.dir)).toEqual([]);
    await mkdir(join(home.dir, '.tccli'));
    expect(await listProfiles(home.dir)).toEqual([]);
  });
});
