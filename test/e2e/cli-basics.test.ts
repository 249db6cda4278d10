/**
 * The built binary (bin/tcss.js → dist/) as a user runs it: version, help, exit codes for bad flags, dry runs
 * without credentials, one-line errors without stack traces.
 */
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, cleanEnv, makeTempHome, runTcss, type TcssResult, type TempHome } from '../helpers/cli.js';

let home: TempHome;
let version: string;
beforeAll(async () => {
  home = await makeTempHome();
  version = (JSON.parse(await readFile(`${ROOT}package.json`, 'utf8')) as { version: string }).version;
});
afterAll(() => home.cleanup());

const run = (args: string[], env?: Record<string, string>): Promise<TcssResult> => runTcss(args, { home: home.dir, env });

function expectNoStack(result: TcssResult): void {
  expect(result.stdout + result.stderr).not.toMatch(/\n\s+at .+[:(]\d+/);
  expect(result.stdout + result.stderr).not.toMatch(/node:internal|dist\/tcss\.cjs/);
}

/** One error line (`Error [Code]: …`), optionally a hint line, exit 2, nothing on stdout. */
function expectOneLineUsage(result: TcssResult, firstLine: string | RegExp): void {
  expect(result.exitCode).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trimEnd().split('\n');
  if (typeof firstLine === 'string') expect(lines[0]).toBe(firstLine);
  else expect(lines[0]).toMatch(firstLine);
  expect(lines.length).toBeLessThanOrEqual(2);
  if (lines.length === 2) expect(lines[1]).toMatch(/^hint: /);
  expectNoStack(result);
}

describe('version and help', () => {
  it('--version and -V print the package version only', async () => {
    for (const flag of ['--version', '-V']) {
      const result = await run([flag]);
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toBe(`${version}\n`);
      expect(result.stderr).toBe('');
    }
  });

  it('--help starts with the usage and the description, exit 0', async () => {
    const result = await run(['--help']);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n').slice(0, 5)).toEqual([
      'Usage: tcss [options] [command]',
      '',
      'Set, read and keep in line Tencent Cloud Container Security (TCSS) image-scan',
      'settings.',
      '',
    ]);
    expect(result.stdout).toContain('\nCommands:\n  image-scan ');
    expect(result.stdout).toContain('Exit codes: 0 ok, 1 internal error, 2 usage/config/credentials (nothing sent), 3 API error,');
  });

  it('image-scan set --help and image-scan get --help', async () => {
    const set = await run(['image-scan', 'set', '--help']);
    expect(set.exitCode).toBe(0);
    expect(set.stdout.split('\n').slice(0, 3)).toEqual(['Usage: tcss image-scan set [options]', '', 'set the scheduled image-scan settings']);
    for (const flag of ['--enable', '--disable', '--scan-time <HH:MM>', '--scan-period <days>', '--no-scan-virus', '--scan-scope <scope>', '--images <ref>', '--cluster-ids <id>']) {
      expect(set.stdout).toContain(flag);
    }
    const get = await run(['image-scan', 'get', '--help']);
    expect(get.exitCode).toBe(0);
    expect(get.stdout.split('\n')[0]).toBe('Usage: tcss image-scan get [options]');
  });

  it('example comments start in one column in every help; defaults read "(default N)" everywhere', async () => {
    for (const path of [[], ['image-scan', 'set'], ['image-scan', 'apply']]) {
      const { stdout } = await run([...path, '--help']);
      const block = stdout.split('\nExamples:\n')[1]?.split('\n\n')[0] ?? '';
      const columns = block.split('\n').filter((l) => /\s{3}\(/.test(l)).map((l) => l.search(/\s{3}\(/));
      expect(columns.length, `comments in tcss ${path.join(' ')} --help`).toBeGreaterThan(0);
      expect(new Set(columns).size).toBe(1);
    }
    const emulator = await run(['emulator', '--help']);
    expect(emulator.stdout).toContain('0 picks a free one (default 0)');
    expect(emulator.stdout).not.toContain('(default: ');
  });

  it('a closed stdout pipe (tcss --help | head -1) ends quietly, no EPIPE stack trace', async () => {
    const child = spawn(process.execPath, [BIN, '--help'], { env: cleanEnv(home.dir), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

describe('exit code 2 for bad usage, one line and a hint, never a stack trace', () => {
  const hint = 'hint: run "tcss --help" or "tcss <command> --help" for usage';

  it.each([
    [['--bogus'], "Error [Usage.InvalidArguments]: unknown option '--bogus'"],
    [['image-scan', 'set', '--enable', '--scan-time', '01:00', '--bogus'], "Error [Usage.InvalidArguments]: unknown option '--bogus'"],
    [['image-scan', 'sett'], "Error [Usage.InvalidArguments]: unknown command 'sett' (Did you mean set?)"],
    [['imagescan'], /^Error \[Usage\.InvalidArguments\]: unknown command 'imagescan'/],
    [['image-scan', 'set', '--scan-time'], "Error [Usage.InvalidArguments]: option '--scan-time <HH:MM>' argument missing"],
    [['image-scan', 'set', '--enable', '--disable', '--scan-time', '01:00'], "Error [Usage.InvalidArguments]: option '--disable' cannot be used with option '--enable'"],
    [['image-scan', 'get', 'extra'], /^Error \[Usage\.InvalidArguments\]: too many arguments/],
  ])('%j', async (args, first) => {
    const result = await run(args);
    expectOneLineUsage(result, first);
    expect(result.stderr.trimEnd().split('\n')[1]).toBe(hint);
  });

  it('a validation error: exit 2, one line', async () => {
    expectOneLineUsage(
      await run(['image-scan', 'set', '--enable', '--scan-time', '24:00']),
      'Error [Usage.InvalidValue]: --scan-time "24:00" is not a valid time: use HH:MM from 00:00 to 23:59 (UTC)',
    );
  });

  it('with --output json the error is one JSON document on stderr', async () => {
    const result = await run(['--output', 'json', 'image-scan', 'set', '--bogus']);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(JSON.parse(result.stderr)).toEqual({
      error: { code: 'Usage.InvalidArguments', message: "unknown option '--bogus'", hint: 'run "tcss --help" or "tcss <command> --help" for usage', exitCode: 2 },
    });
  });

  it('no command: help on stderr, exit 2', async () => {
    const result = await run([]);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toBe('Usage: tcss [options] [command]');
  });

  it('missing credentials: exit 2 naming every place looked in', async () => {
    expectOneLineUsage(
      await run(['image-scan', 'get']),
      'Error [Credentials.Missing]: no credentials found; looked in: env TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY; ~/.tccli/default.credential; ~/.tencentcloud/credentials [default]',
    );
  });
});

describe('a bad global value in the config file is the file\'s error and reads naturally', () => {
  it.each([
    [{ profile: 'a/b' }, 'the value "a/b" of "profile" in ~/cfg/.tcssrc.json is not a valid profile name: use letters, digits, "-", "_" or "."'],
    [{ region: 'xx' }, 'the value "xx" of "region" in ~/cfg/.tcssrc.json is not valid: use a region such as ap-guangzhou or ap-singapore'],
    [{ timeout: -3 }, 'the value "-3" of "timeout" in ~/cfg/.tcssrc.json is not valid: use a number of seconds from 0.001 to 3600'],
    [{ endpoint: 'ftp://x' }, 'the value "ftp://x" of "endpoint" in ~/cfg/.tcssrc.json must use https:// (or http:// for a loopback address)'],
    [{ output: 'yaml' }, 'the value "yaml" of "output" in ~/cfg/.tcssrc.json is not valid: use text or json'],
  ])('%j', async (config, message) => {
    await home.file('cfg/.git/HEAD', 'ref: refs/heads/main\n');
    await home.file('cfg/.tcssrc.json', JSON.stringify(config));
    const result = await runTcss(['image-scan', 'get', '--dry-run'], { home: home.dir, cwd: join(home.dir, 'cfg') });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toBe(`Error [Config.InvalidValue]: ${message}`);
  });

  it('the same value as a flag keeps the flag\'s wording and code', async () => {
    const result = await run(['--region', 'xx', 'image-scan', 'get', '--dry-run']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe('Error [Usage.InvalidValue]: --region "xx" is not valid: use a region such as ap-guangzhou or ap-singapore');
  });
});

describe('dry run', () => {
  it('works without credentials and says the request is unsigned', async () => {
    const result = await run(['image-scan', 'set', '--enable', '--scan-time', '01:00', '--dry-run']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('POST https://tcss.intl.tencentcloudapi.com/');
    expect(result.stdout).toContain('X-TC-Action: CreateAssetImageScanSetting\n');
    expect(result.stdout).not.toContain('Authorization');
    // Every field stated; without credentials the current settings are not read, and the note says so.
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe(
      '{"Enable":true,"ScanTime":"01:00","ScanPeriod":1,"ScanVirus":true,"ScanRisk":true,"ScanVul":true,"ContainerRunning":false,"ScanScope":0,"Images":[],"ExcludeImages":[],"ClusterIDs":[]}',
    );
    expect(result.stderr).toBe(
      'dry run: nothing was sent; no credentials were found, so the current settings were not read (the body holds the flags, the config file and the defaults) and the request above is unsigned\n',
    );
  });

  it('with credentials it is signed, the signature and token redacted, the key never printed', async () => {
    const key = 'DryRunSecretKeyZZ9x8y7w6v5u4';
    const token = 'DryRunTokenQQ1234567890abcdef';
    const result = await run(['image-scan', 'get', '--dry-run', '--output', 'json'], {
      TENCENTCLOUD_SECRET_ID: 'AKIDdryrun',
      TENCENTCLOUD_SECRET_KEY: key,
      TENCENTCLOUD_SESSION_TOKEN: token,
    });
    expect(result.exitCode).toBe(0);
    const doc = JSON.parse(result.stdout) as { signed: boolean; headers: Record<string, string> };
    expect(doc.signed).toBe(true);
    expect(doc.headers.Authorization).toMatch(/^TC3-HMAC-SHA256 Credential=AKIDdryrun\/\d{4}-\d{2}-\d{2}\/tcss\/tc3_request, SignedHeaders=content-type;host, Signature=<redacted>$/);
    expect(doc.headers['X-TC-Token']).toBe('<redacted>');
    expect(result.stderr).toBe('dry run: nothing was sent (signature redacted)\n');
    expect(result.stdout + result.stderr).not.toContain(key);
    expect(result.stdout + result.stderr).not.toContain(token);
  });

  it('--debug on a dry run never prints the key', async () => {
    const key = 'DebugSecretKeyAB12CD34EF56GH';
    // --replace: with credentials a plain set would read the account (here the real endpoint) first.
    const result = await run(['--debug', 'image-scan', 'set', '--replace', '--enable', '--scan-time', '01:00', '--dry-run'], {
      TENCENTCLOUD_SECRET_ID: 'AKIDdebug',
      TENCENTCLOUD_SECRET_KEY: key,
    });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain('debug: credentials from the environment (TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY) (SecretId AKIDdebug)');
    expect(result.stdout + result.stderr).not.toContain(key);
  });
});

describe('config files of every kind cosmiconfig reads, through the built binary', () => {
  // Each file sets another region; the dry run shows the one that was read. Every project folder has a .git,
  // where the search stops. Files that are code are read only when named with --config (`explicit`).
  const kinds: Array<{ dir: string; files: Record<string, string>; region: string; explicit?: string }> = [
    { dir: 'json', files: { '.tcssrc.json': '{"region":"ap-beijing"}' }, region: 'ap-beijing' },
    { dir: 'yaml', files: { '.tcssrc.yaml': 'region: ap-shanghai\n' }, region: 'ap-shanghai' },
    { dir: 'cjs', files: { '.tcssrc.cjs': 'module.exports = { region: "ap-chengdu" };\n' }, region: 'ap-chengdu', explicit: '.tcssrc.cjs' },
    { dir: 'mjs', files: { '.tcssrc.mjs': 'export default { region: "ap-singapore" };\n' }, region: 'ap-singapore', explicit: '.tcssrc.mjs' },
    {
      dir: 'esm-js',
      files: { 'package.json': '{"type":"module"}', 'tcss.config.js': 'export default { region: "ap-tokyo" };\n' },
      region: 'ap-tokyo',
      explicit: 'tcss.config.js',
    },
    { dir: 'config-mjs', files: { 'tcss.config.mjs': 'export default { region: "ap-seoul" };\n' }, region: 'ap-seoul', explicit: 'tcss.config.mjs' },
    // cosmiconfig compiles TypeScript config files with the typescript package when it is installed (here: a dev dependency).
    { dir: 'ts', files: { 'tcss.config.ts': 'const config: { region: string } = { region: "ap-bangkok" };\nexport default config;\n' }, region: 'ap-bangkok', explicit: 'tcss.config.ts' },
  ];

  for (const kind of kinds) {
    it(`${Object.keys(kind.files).join(' + ')}`, async () => {
      await home.file(`configs/${kind.dir}/.git/HEAD`, 'ref: refs/heads/main\n');
      for (const [name, content] of Object.entries(kind.files)) await home.file(`configs/${kind.dir}/${name}`, content);
      const config = kind.explicit ? ['--config', kind.explicit] : [];
      const result = await runTcss([...config, 'image-scan', 'set', '--enable', '--scan-time', '01:00', '--dry-run'], {
        home: home.dir,
        cwd: `${home.dir}/configs/${kind.dir}`,
      });
      expect(result.stderr).not.toContain('Error');
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toContain(`X-TC-Region: ${kind.region}\n`);
    });
  }
});

describe('a secret typed into a flag or config value by mistake is never echoed', () => {
  const envKey = 'envSecretKey0123456789abcdefghijkl';
  const envToken = 'envSessionToken0123456789';
  const profileKey = 'profileSecretKey0123456789abcdef';
  const sdkKey = 'sdkFileSecretKey0123456789abcdef';

  it('in a flag\'s error, text or JSON, whether the key is in the environment, a tccli profile or the SDK file', async () => {
    await home.tccli('prod', { secretId: 'AKIDprofile', secretKey: profileKey });
    await home.sdkIni({ staging: { secret_id: 'AKIDsdk', secret_key: sdkKey } });
    const env = { TENCENTCLOUD_SECRET_ID: 'AKIDenv', TENCENTCLOUD_SECRET_KEY: envKey, TENCENTCLOUD_SESSION_TOKEN: envToken };
    for (const secret of [envKey, envToken, profileKey, sdkKey]) {
      for (const args of [
        ['image-scan', 'set', '--scan-time', secret],
        ['image-scan', 'set', '--region', secret, '--output', 'json'],
        ['--profile', 'prod', 'image-scan', 'get', '--timeout', secret],
      ]) {
        const result = await run(args, env);
        expect(result.exitCode).toBe(2);
        expect(result.stdout + result.stderr).not.toContain(secret);
        expect(result.stderr).toContain('<redacted>');
      }
    }
  });

  it('in a config file\'s error', async () => {
    await home.file('leak/.git/HEAD', 'ref: refs/heads/main\n');
    await home.file('leak/.tcssrc.json', JSON.stringify({ imageScan: { scanTime: envKey } }));
    const result = await runTcss(['image-scan', 'set', '--enable', '--dry-run'], {
      home: home.dir,
      cwd: `${home.dir}/leak`,
      env: { TENCENTCLOUD_SECRET_ID: 'AKIDenv', TENCENTCLOUD_SECRET_KEY: envKey },
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('"imageScan.scanTime"');
    expect(result.stdout + result.stderr).not.toContain(envKey);
  });
});


describe('a credentials file that is found but gives no keys says why', () => {
  // The HOME is shared by this file's tests: each test here writes its own credentials file.
  afterEach(async () => {
    for (const dir of ['.tccli', '.tencentcloud']) await rm(join(home.dir, dir), { recursive: true, force: true });
  });

  it('a tccli file with "SecretId" capitalised names the keys it has (keys are case-sensitive); nothing is sent', async () => {
    await home.tccli('default', { SecretId: 'AKIDcaseWrong000001', SecretKey: 'caseWrongKeyNeverShown0123' });
    const result = await run(['image-scan', 'get', '--endpoint', 'http://127.0.0.1:9']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      'Error [Credentials.Invalid]: ~/.tccli/default.credential was found but has no "secretId" or "secretKey": keys are case-sensitive, and it has "SecretId", "SecretKey"\n' +
        'hint: rename them to "secretId" and "secretKey", or run "tccli configure" again\n',
    );
    expect(result.stderr).not.toContain('caseWrongKeyNeverShown0123');
  });

  it('an SDK INI file without a [section] says the keys belong to no profile', async () => {
    await home.file('.tencentcloud/credentials', 'secret_id = AKIDnoSection0000001\nsecret_key = noSectionKeyNeverShown012\n');
    const result = await run(['image-scan', 'get', '--endpoint', 'http://127.0.0.1:9']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      'Error [Credentials.Invalid]: ~/.tencentcloud/credentials was found but has no [default] section: its keys come before any [section] header\n' +
        'hint: put a line "[default]" above secret_id and secret_key\n',
    );
  });

  it('an SDK INI section with "Secret_Id" names it', async () => {
    await home.sdkIni({ default: { Secret_Id: 'AKIDiniCase00000001', Secret_Key: 'iniCaseKeyNeverShown0123' } });
    const result = await run(['image-scan', 'get', '--endpoint', 'http://127.0.0.1:9']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe(
      'Error [Credentials.Invalid]: ~/.tencentcloud/credentials [default] was found but has no "secret_id" or "secret_key": keys are case-sensitive, and it has "Secret_Id", "Secret_Key"',
    );
  });
});

describe('a config file with an extension tcss does not read', () => {
  it('--config tcss.conf (valid YAML inside) says which extensions are read', async () => {
    await home.file('tcss.conf', 'region: ap-guangzhou\n');
    const result = await run(['--config', 'tcss.conf', 'image-scan', 'get', '--dry-run']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      'Error [Config.LoadFailed]: --config tcss.conf: a config file ending in ".conf" is not read\n' +
        'hint: name it .json, .yaml or .yml (or .js, .cjs, .mjs, .ts), or give it no extension, which is read as JSON or YAML\n',
    );
  });
});
