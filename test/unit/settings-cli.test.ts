/**
 * From argv + env + config file to the exact request body, through the real pieces: main() parses the flags,
 * loads the config from a temporary HOME, resolves settings and prints the dry run as JSON.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { debugSettingSources } from '../../src/cli/commands/image-scan-set.js';
import { SETTING_FIELDS, resolveSettings } from '../../src/core/settings/fields.js';
import { dryRunJson, runMain, type MainResult } from '../helpers/main.js';
import { makeTempHome, type TempHome } from '../helpers/cli.js';

let home: TempHome;
beforeEach(async () => {
  home = await makeTempHome();
});
afterEach(async () => {
  await home.cleanup();
});

const SET = ['image-scan', 'set'];
const DRY = ['--dry-run', '--output', 'json'];

async function writeConfig(config: unknown, name = '.tcssrc.json'): Promise<string> {
  return home.file(name, typeof config === 'string' ? config : JSON.stringify(config));
}

async function dryBody(args: string[], config?: unknown, env?: Record<string, string>): Promise<Record<string, unknown>> {
  if (config !== undefined) await writeConfig(config);
  const result = await runMain([...SET, ...args, ...DRY], { home: home.dir, env });
  expect(result.stderr).not.toMatch(/^Error/m);
  expect(result.code).toBe(0);
  return dryRunJson(result).body as Record<string, unknown>;
}

/** One `Error [...]: message` line (and at most a hint line), exit 2, nothing on stdout. */
function expectUsageError(result: MainResult, message: string, code = 'Usage.InvalidValue'): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).not.toMatch(/\n\s+at /);
  if (result.stderr.startsWith('{')) {
    // --output json: the same error as one JSON document.
    const doc = JSON.parse(result.stderr) as { error: { code: string; message: string; exitCode: number } };
    expect(doc.error).toMatchObject({ code, message, exitCode: 2 });
    return;
  }
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines[0]).toBe(`Error [${code}]: ${message}`);
  expect(lines.length).toBeLessThanOrEqual(2);
  if (lines[1] !== undefined) expect(lines[1]).toMatch(/^hint: /);
}

const DEFAULTS = { ScanPeriod: 1, ScanVirus: true, ScanRisk: true, ScanVul: true };
/** Every write states the optional fields too (no end time excepted): these when nothing gives them. */
const OPTIONAL = { ContainerRunning: false, ScanScope: 0, Images: [], ExcludeImages: [], ClusterIDs: [] };
/** The body in the order the API documents the fields, the optional ones at their defaults unless given. */
const full = (body: Record<string, unknown>): Record<string, unknown> => {
  const order = ['Enable', 'ScanTime', 'ScanEndTime', 'ScanPeriod', 'ScanVirus', 'ScanRisk', 'ScanVul', 'ContainerRunning', 'ScanScope', 'Images', 'ExcludeImages', 'ClusterIDs'];
  const merged: Record<string, unknown> = { ...OPTIONAL, ...body };
  return Object.fromEntries(order.filter((k) => k in merged).map((k) => [k, merged[k]]));
};

interface BodyCase {
  name: string;
  args: string[];
  config?: Record<string, unknown>;
  body: Record<string, unknown>;
}

const BODY_CASES: BodyCase[] = [
  {
    name: 'defaults: period 1 and all three scanners on',
    args: ['--enable', '--scan-time', '01:00'],
    body: { Enable: true, ScanTime: '01:00', ...DEFAULTS },
  },
  {
    name: '--disable sends Enable false',
    args: ['--disable', '--scan-time', '00:00'],
    body: { Enable: false, ScanTime: '00:00', ...DEFAULTS },
  },
  {
    name: 'every flag, repeatable and comma lists merged in order, duplicates once, items trimmed',
    args: [
      '--enable', '--scan-time', '01:00', '--scan-end-time', '05:30', '--scan-period', '7',
      '--no-scan-virus', '--no-scan-risk', '--no-scan-vul', '--container-running', '--scan-scope', 'selected',
      '--images', 'sha256:aa', '--images', ' sha256:bb , sha256:cc', '--images', 'sha256:aa',
      '--exclude-images', 'nginx:1,redis:7', '--cluster-ids', 'cls-1',
    ],
    body: {
      Enable: true, ScanTime: '01:00', ScanEndTime: '05:30', ScanPeriod: 7, ScanVirus: false, ScanRisk: false, ScanVul: false,
      ContainerRunning: true, ScanScope: 1, Images: ['sha256:aa', 'sha256:bb', 'sha256:cc'], ExcludeImages: ['nginx:1', 'redis:7'],
      ClusterIDs: ['cls-1'],
    },
  },
  {
    name: '--no-container-running is sent as false',
    args: ['--enable', '--scan-time', '23:59', '--no-container-running'],
    body: { Enable: true, ScanTime: '23:59', ...DEFAULTS, ContainerRunning: false },
  },
  {
    name: 'explicit --scan-virus/--scan-risk/--scan-vul are true',
    args: ['--enable', '--scan-time', '12:00', '--scan-virus', '--scan-risk', '--scan-vul'],
    body: { Enable: true, ScanTime: '12:00', ...DEFAULTS },
  },
  { name: 'scope all by name', args: ['--enable', '--scan-time', '01:00', '--scan-scope', 'all'], body: { Enable: true, ScanTime: '01:00', ...DEFAULTS, ScanScope: 0 } },
  { name: 'scope 0 by number', args: ['--enable', '--scan-time', '01:00', '--scan-scope', '0'], body: { Enable: true, ScanTime: '01:00', ...DEFAULTS, ScanScope: 0 } },
  { name: 'scope recommended', args: ['--enable', '--scan-time', '01:00', '--scan-scope', 'Recommended'], body: { Enable: true, ScanTime: '01:00', ...DEFAULTS, ScanScope: 2 } },
  { name: 'scope 1 by number with images', args: ['--enable', '--scan-time', '01:00', '--scan-scope', '1', '--images', 'a'], body: { Enable: true, ScanTime: '01:00', ...DEFAULTS, ScanScope: 1, Images: ['a'] } },
  {
    name: 'scope cluster with repeatable and comma cluster IDs',
    args: ['--enable', '--scan-time', '01:00', '--scan-scope', 'cluster', '--cluster-ids', 'cls-a,cls-b', '--cluster-ids', 'cls-c'],
    body: { Enable: true, ScanTime: '01:00', ...DEFAULTS, ScanScope: 3, ClusterIDs: ['cls-a', 'cls-b', 'cls-c'] },
  },
  { name: 'scope 3 by number', args: ['--enable', '--scan-time', '01:00', '--scan-scope', '3', '--cluster-ids', 'x'], body: { Enable: true, ScanTime: '01:00', ...DEFAULTS, ScanScope: 3, ClusterIDs: ['x'] } },
  { name: 'HH:MM:SS with zero seconds is accepted as HH:MM', args: ['--enable', '--scan-time', '11:05:00'], body: { Enable: true, ScanTime: '11:05', ...DEFAULTS } },
  { name: '--opt=value form', args: ['--enable', '--scan-time=02:00', '--scan-period=30'], body: { Enable: true, ScanTime: '02:00', ...DEFAULTS, ScanPeriod: 30 } },
  {
    name: 'config supplies every value',
    args: [],
    config: {
      imageScan: {
        enable: true, scanTime: '02:30', scanEndTime: '04:00', scanPeriod: 3, scanVirus: false, scanRisk: true, scanVul: false,
        containerRunning: true, scanScope: 'cluster', clusterIds: ['cls-a', 'cls-b'], excludeImages: 'x,y',
      },
    },
    body: {
      Enable: true, ScanTime: '02:30', ScanEndTime: '04:00', ScanPeriod: 3, ScanVirus: false, ScanRisk: true, ScanVul: false,
      ContainerRunning: true, ScanScope: 3, ClusterIDs: ['cls-a', 'cls-b'], ExcludeImages: ['x', 'y'],
    },
  },
  {
    name: 'config scope as a number and images as a list',
    args: ['--enable'],
    config: { imageScan: { scanTime: '03:00', scanScope: 1, images: ['sha256:1', 'sha256:2'] } },
    body: { Enable: true, ScanTime: '03:00', ...DEFAULTS, ScanScope: 1, Images: ['sha256:1', 'sha256:2'] },
  },
  {
    name: 'flags override config, config fills the rest, defaults the remainder',
    args: ['--enable', '--scan-time', '04:00', '--scan-risk', '--images', 'flag-image'],
    config: { imageScan: { enable: false, scanTime: '02:30', scanPeriod: 3, scanRisk: false, images: ['config-image'] } },
    body: { Enable: true, ScanTime: '04:00', ScanPeriod: 3, ScanVirus: true, ScanRisk: true, ScanVul: true, Images: ['flag-image'] },
  },
  {
    name: '--disable overrides enable: true in the config',
    args: ['--disable'],
    config: { imageScan: { enable: true, scanTime: '02:30' } },
    body: { Enable: false, ScanTime: '02:30', ...DEFAULTS },
  },
  {
    name: '--no-scan-vul overrides scanVul: true in the config',
    args: ['--no-scan-vul'],
    config: { imageScan: { enable: true, scanTime: '02:30', scanVul: true } },
    body: { Enable: true, ScanTime: '02:30', ScanPeriod: 1, ScanVirus: true, ScanRisk: true, ScanVul: false },
  },
];

describe('image-scan set: argv + config → exact request body', () => {
  for (const c of BODY_CASES) {
    it(c.name, async () => {
      const body = await dryBody(c.args, c.config);
      expect(body).toStrictEqual(full(c.body));
      expect(Object.keys(body)).toEqual(Object.keys(full(c.body)));
      expect(body).not.toHaveProperty('All');
    });
  }

  it('sends the fields in the order the API documents them', async () => {
    const body = await dryBody(['--enable', '--scan-time', '01:00', '--cluster-ids', 'c', '--exclude-images', 'e', '--images', 'i', '--scan-scope', '1', '--container-running', '--scan-end-time', '02:00']);
    expect(Object.keys(body)).toEqual([
      'Enable', 'ScanTime', 'ScanEndTime', 'ScanPeriod', 'ScanVirus', 'ScanRisk', 'ScanVul', 'ContainerRunning', 'ScanScope', 'Images', 'ExcludeImages', 'ClusterIDs',
    ]);
  });

  it('finds the config in a parent directory of the working directory, up to the project root', async () => {
    await writeConfig({ imageScan: { enable: true, scanTime: '06:00' } });
    // The project root (HOME is no longer where the search stops: without a project, only the working directory).
    await home.file('.git/HEAD', 'ref: refs/heads/main\n');
    const sub = await home.file('project/deep/.keep', '');
    const result = await runMain([...SET, ...DRY], { home: home.dir, cwd: join(sub, '..') });
    expect(result.code).toBe(0);
    expect(dryRunJson(result).body).toStrictEqual(full({ Enable: true, ScanTime: '06:00', ...DEFAULTS }));
  });

  it('reads a YAML config and a --config file', async () => {
    await writeConfig('imageScan:\n  enable: true\n  scanTime: "07:15"\n  scanPeriod: 2\n', '.tcssrc.yaml');
    expect(await dryBody([])).toStrictEqual(full({ Enable: true, ScanTime: '07:15', ...DEFAULTS, ScanPeriod: 2 }));
    const other = await home.file('elsewhere/team.json', JSON.stringify({ imageScan: { enable: false, scanTime: '08:00' } }));
    const result = await runMain(['--config', other, ...SET, ...DRY], { home: home.dir });
    expect(result.code).toBe(0);
    expect(dryRunJson(result).body).toStrictEqual(full({ Enable: false, ScanTime: '08:00', ...DEFAULTS }));
  });

  it('--debug says where each value came from', async () => {
    await writeConfig({ region: 'ap-singapore', imageScan: { scanPeriod: 3 } });
    const result = await runMain([...SET, '--enable', '--scan-time', '01:00', '--debug', '--dry-run'], { home: home.dir, env: { TCSS_OUTPUT: 'text' } });
    expect(result.code).toBe(0);
    const debug = result.stderr.split('\n').filter((l) => l.startsWith('debug: '));
    expect(debug).toEqual(
      expect.arrayContaining([
        `debug: config file: ${join(home.dir, '.tcssrc.json')}`,
        'debug: region from config (~/.tcssrc.json)',
        'debug: output from env (TCSS_OUTPUT)',
        'debug: endpoint from default',
        'debug: enable = true from flag',
        'debug: scanTime = "01:00" from flag',
        'debug: scanPeriod = 3 from config',
        'debug: scanVirus = true from default',
      ]),
    );
    // Debug goes to stderr only; stdout holds the request.
    expect(result.stdout).not.toContain('debug:');
    expect(result.stdout).toContain('X-TC-Region: ap-singapore');
  });
});

describe('debugSettingSources (shared by the flags path and the wizard)', () => {
  it('writes one line per setting, in table order, with its value and where it came from', () => {
    const resolved = resolveSettings([
      { source: 'flag', values: { scanTime: '01:00', enable: true }, where: (f) => f.flag },
      { source: 'config', values: { scanPeriod: 3 }, where: (f) => f.key },
    ]);
    const lines: string[] = [];
    debugSettingSources({ debug: (line) => lines.push(line) }, resolved);
    expect(lines.slice(0, 4)).toEqual(['enable = true from flag', 'scanTime = "01:00" from flag', 'scanPeriod = 3 from config', 'scanVirus = true from default']);
    expect(lines).toHaveLength(SETTING_FIELDS.filter((f) => resolved.sources[f.key]).length);
  });
});

interface ErrorCase {
  args: string[];
  config?: Record<string, unknown>;
  message: string;
  code?: string;
}

const time = (flag: string, v: string) => `${flag} "${v}" is not a valid time: use HH:MM from 00:00 to 23:59 (UTC)`;
const period = (v: string) => `--scan-period "${v}" is not a valid period: use a whole number of days from 1 to 2147483647 (1, 2, 7, …)`;
const scope = (v: string) => `--scan-scope "${v}" is not a valid scope: use 0-3 or all, selected, recommended, cluster`;
const EMPTY_ITEM = 'has an empty item: remove the extra comma or give a value';
const E = ['--enable'];
const T = ['--enable', '--scan-time', '01:00'];

const ERROR_CASES: ErrorCase[] = [
  { args: [...E, '--scan-time', '24:00'], message: time('--scan-time', '24:00') },
  { args: [...E, '--scan-time', '1:00'], message: time('--scan-time', '1:00') },
  { args: [...E, '--scan-time', '12:60'], message: time('--scan-time', '12:60') },
  { args: [...E, '--scan-time', 'abc'], message: time('--scan-time', 'abc') },
  { args: [...E, '--scan-time', '01:00:30'], message: time('--scan-time', '01:00:30') },
  { args: [...T, '--scan-end-time', '25:00'], message: time('--scan-end-time', '25:00') },
  { args: [...T, '--scan-period', '0'], message: period('0') },
  { args: [...T, '--scan-period', '-1'], message: period('-1') },
  { args: [...T, '--scan-period', '1.5'], message: period('1.5') },
  { args: [...T, '--scan-period', 'x'], message: period('x') },
  { args: [...T, '--scan-period', '99999999999'], message: period('99999999999') },
  { args: [...T, '--scan-period', '2147483648'], message: period('2147483648') },
  { args: [...T, '--scan-scope', '4'], message: scope('4') },
  { args: [...T, '--scan-scope', 'foo'], message: scope('foo') },
  { args: [...T, '--scan-scope', 'selected'], message: '--scan-scope selected needs --images with at least one image', code: 'Usage.MissingValue' },
  { args: [...T, '--scan-scope', '1', '--cluster-ids', 'c'], message: '--scan-scope selected needs --images with at least one image', code: 'Usage.MissingValue' },
  { args: [...T, '--scan-scope', 'cluster'], message: '--scan-scope cluster needs --cluster-ids with at least one cluster ID', code: 'Usage.MissingValue' },
  { args: [...T, '--images', 'a,,b'], message: `--images ${EMPTY_ITEM}` },
  { args: [...T, '--images', ','], message: `--images ${EMPTY_ITEM}` },
  { args: [...T, '--exclude-images', 'a,'], message: `--exclude-images ${EMPTY_ITEM}` },
  { args: [...T, '--cluster-ids', ''], message: `--cluster-ids ${EMPTY_ITEM}` },
  { args: ['--enable', '--disable', '--scan-time', '01:00'], message: "option '--disable' cannot be used with option '--enable'", code: 'Usage.InvalidArguments' },
  { args: ['--scan-time', '01:00'], message: 'one of --enable or --disable is required (or "enable" in the config file)', code: 'Usage.MissingValue' },
  { args: ['--enable'], message: '--scan-time HH:MM is required (or "scanTime" in the config file)', code: 'Usage.MissingValue' },
  { args: [...E, '--scan-time'], message: "option '--scan-time <HH:MM>' argument missing", code: 'Usage.InvalidArguments' },
  // Values from the config file are named by their key and file.
  // A value in a file reads "the value … of …" and has the file's code.
  { args: ['--enable'], config: { imageScan: { scanTime: '1:00' } }, message: 'the value "1:00" of "imageScan.scanTime" in ~/.tcssrc.json is not a valid time: use HH:MM from 00:00 to 23:59 (UTC)', code: 'Config.InvalidValue' },
  { args: T, config: { imageScan: { scanPeriod: 0 } }, message: 'the value "0" of "imageScan.scanPeriod" in ~/.tcssrc.json is not a valid period: use a whole number of days from 1 to 2147483647 (1, 2, 7, …)', code: 'Config.InvalidValue' },
  { args: T, config: { imageScan: { scanVirus: 'yes' } }, message: 'the value "yes" of "imageScan.scanVirus" in ~/.tcssrc.json is not a valid switch: use true or false', code: 'Config.InvalidValue' },
  { args: T, config: { imageScan: { scanScope: 'selected' } }, message: '"imageScan.scanScope" in ~/.tcssrc.json selected needs "imageScan.images" in ~/.tcssrc.json with at least one image', code: 'Usage.MissingValue' },
  { args: T, config: { imageScan: { images: ['a', ''] } }, message: `"imageScan.images" in ~/.tcssrc.json ${EMPTY_ITEM}`, code: 'Config.InvalidValue' },
  { args: T, config: { imageScan: { scanPeriod: '1e309' } }, message: 'the value "1e309" of "imageScan.scanPeriod" in ~/.tcssrc.json is not a valid period: use a whole number of days from 1 to 2147483647 (1, 2, 7, …)', code: 'Config.InvalidValue' },
  { args: [...T, '--images', 'none,a'], message: '--images has "none" among other items: "none" alone clears the list' },
  { args: [...T, '--scan-time', 'none'], message: time('--scan-time', 'none') },
];

describe('image-scan set: every validation message is one line naming the flag, exit 2', () => {
  for (const c of ERROR_CASES) {
    it(`${c.args.join(' ')}${c.config ? ` + config ${JSON.stringify(c.config)}` : ''}`, async () => {
      if (c.config) await writeConfig(c.config);
      // Without --dry-run too: a bad value is found before credentials or the network. A missing one may come
      // from the account's current settings, so a plain set reads them first (here: no credentials): --replace.
      for (const extra of [DRY, ['--dry-run'], c.code === 'Usage.MissingValue' ? ['--replace'] : []]) {
        const result = await runMain([...SET, ...c.args, ...extra], { home: home.dir });
        expectUsageError(result, c.message, c.code);
      }
    });
  }

  it('a commander error is one line with a hint', async () => {
    const result = await runMain([...SET, ...T, '--bogus'], { home: home.dir });
    expectUsageError(result, "unknown option '--bogus'", 'Usage.InvalidArguments');
    expect(result.stderr).toContain('hint: run "tcss --help" or "tcss <command> --help" for usage');
  });

  it('with --output json the error is one JSON document on stderr', async () => {
    const result = await runMain([...SET, '--enable', '--scan-time', '24:00', '--output', 'json'], { home: home.dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(JSON.parse(result.stderr)).toEqual({ error: { code: 'Usage.InvalidValue', message: time('--scan-time', '24:00'), exitCode: 2 } });
  });
});

describe('config file errors', () => {
  const SECRET = 'Zq9SECRETvalueNEVERprinted42';

  it('an unknown key, with a "did you mean"', async () => {
    await writeConfig({ regoin: 'ap-guangzhou' });
    expectUsageError(await runMain([...SET, ...T, ...DRY], { home: home.dir }), '~/.tcssrc.json: unknown key "regoin" (did you mean "region"?)', 'Config.UnknownKey');
    await writeConfig({ imageScan: { scanPeriode: 2 } });
    expectUsageError(
      await runMain([...SET, ...T, ...DRY], { home: home.dir }),
      '~/.tcssrc.json: imageScan: unknown key "scanPeriode" (did you mean "scanPeriod"?)',
      'Config.UnknownKey',
    );
  });

  it('a wrong type', async () => {
    await writeConfig({ timeout: '30' });
    expectUsageError(await runMain([...SET, ...T, ...DRY], { home: home.dir }), '~/.tcssrc.json: "timeout" must be a number', 'Config.InvalidValue');
    await writeConfig({ imageScan: 'yes' });
    expectUsageError(await runMain([...SET, ...T, ...DRY], { home: home.dir }), '~/.tcssrc.json: imageScan must be an object', 'Config.Invalid');
  });

  for (const key of ['secretKey', 'SecretKey', 'secret_key', 'token', 'TENCENTCLOUD_SECRET_KEY']) {
    it(`a secret in the file (${key}) is refused and its value never printed`, async () => {
      await writeConfig({ region: 'ap-guangzhou', imageScan: { [key]: SECRET } });
      const result = await runMain([...SET, ...T, ...DRY], { home: home.dir });
      expectUsageError(
        result,
        `~/.tcssrc.json holds a secret ("imageScan.${key}"); tcss refuses config files with secrets because they end up in git`,
        'Config.SecretInFile',
      );
      expect(result.all).not.toContain(SECRET);
    });
  }

  it('unparsable JSON: names the file and position, never echoes its text', async () => {
    const path = await writeConfig(`{"region": "ap-guangzhou", "note": "${SECRET}" oops}`);
    for (const args of [[...SET, ...T, '--dry-run'], ['--config', path, ...SET, ...T, '--dry-run']]) {
      const result = await runMain(args, { home: home.dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^Error \[Config\.Unparsable\]: cannot parse ~\/\.tcssrc\.json \(at character \d+\): check its JSON\/YAML syntax\n$/);
      expect(result.all).not.toContain(SECRET);
      expect(result.all).not.toContain('oops');
    }
  });

  it('unparsable YAML: names the file and line, never echoes its text', async () => {
    await writeConfig(`region: ap-guangzhou\nimageScan:\n  scanTime: [${SECRET}\n`, '.tcssrc.yaml');
    const result = await runMain([...SET, ...T, '--dry-run'], { home: home.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('Error [Config.Unparsable]: cannot parse ~/.tcssrc.yaml (line 4): check its JSON/YAML syntax\n');
    expect(result.all).not.toContain(SECRET);
  });

  it('--config with a missing file', async () => {
    expectUsageError(await runMain(['--config', 'nope.json', ...SET, ...T, ...DRY], { home: home.dir }), '--config nope.json: no such file', 'Config.NotFound');
    expectUsageError(await runMain(['--config', '', ...SET, ...T, ...DRY], { home: home.dir }), '--config needs a file path');
  });

  it('an empty config file is fine', async () => {
    await writeConfig('', '.tcssrc.json');
    await rm(join(home.dir, '.tcssrc.json'));
    await writeFile(join(home.dir, '.tcssrc.yaml'), '');
    expect(await dryBody(T)).toStrictEqual(full({ Enable: true, ScanTime: '01:00', ...DEFAULTS }));
  });
});

describe('global options: validation and flags > env > config > defaults', () => {
  const GET = ['image-scan', 'get', '--dry-run', '--output', 'json'];

  it.each([
    [['--region', 'AP guangzhou'], '--region "AP guangzhou" is not valid: use a region such as ap-guangzhou or ap-singapore'],
    [['--endpoint', 'http://example.com'], '--endpoint "http://example.com" uses plain http:// for a host that is not on this machine: use https://, or http:// only for 127.0.0.1, ::1 or localhost'],
    [['--endpoint', 'ftp://example.com'], '--endpoint "ftp://example.com" must use https:// (or http:// for a loopback address)'],
    [['--endpoint', 'https://example.com/path'], '--endpoint "https://example.com/path" must be a host or origin without a path or query'],
    [['--endpoint', 'https://user:pw@example.com'], '--endpoint "https://***@example.com" must not contain a user name or password'],
    [['--output', 'yaml'], '--output "yaml" is not valid: use text or json'],
    [['--timeout', '0'], '--timeout "0" is not valid: use a number of seconds from 0.001 to 3600'],
    [['--timeout', 'soon'], '--timeout "soon" is not valid: use a number of seconds from 0.001 to 3600'],
    [['--timeout', '3601'], '--timeout "3601" is not valid: use a number of seconds from 0.001 to 3600'],
    [['--language', 'fr'], '--language "fr" is not valid: use zh-CN or en-US'],
    [['--retries', '11'], '--retries "11" is not valid: use a whole number from 0 to 10'],
    [['--profile', '../x'], '--profile "../x" is not a valid profile name: use letters, digits, "-", "_" or "."'],
  ])('%j is refused', async (flags, message) => {
    expectUsageError(await runMain([...flags, 'image-scan', 'get', '--dry-run'], { home: home.dir }), message);
  });

  it.each([
    [{ TCSS_REGION: 'bad region' }, 'TCSS_REGION "bad region" is not valid: use a region such as ap-guangzhou or ap-singapore'],
    [{ TCSS_ENDPOINT: 'http://10.0.0.1' }, 'TCSS_ENDPOINT "http://10.0.0.1" uses plain http:// for a host that is not on this machine: use https://, or http:// only for 127.0.0.1, ::1 or localhost'],
    [{ TCSS_OUTPUT: 'xml' }, 'TCSS_OUTPUT "xml" is not valid: use text or json'],
    [{ TCSS_PROFILE: '../etc' }, 'TCSS_PROFILE "../etc" is not a valid profile name: use letters, digits, "-", "_" or "."'],
  ])('env %j is refused, naming the variable', async (env, message) => {
    expectUsageError(await runMain(['image-scan', 'get', '--dry-run'], { home: home.dir, env }), message);
  });

  it('config values are refused naming the key and file', async () => {
    await writeConfig({ language: 'de' });
    expectUsageError(await runMain(['image-scan', 'get', '--dry-run'], { home: home.dir }), 'the value "de" of "language" in ~/.tcssrc.json is not valid: use zh-CN or en-US', 'Config.InvalidValue');
  });

  it('loopback http:// endpoints are allowed', async () => {
    for (const endpoint of ['http://127.0.0.1:9000', 'http://localhost:1', 'http://[::1]:8080']) {
      const result = await runMain(['--endpoint', endpoint, ...GET], { home: home.dir });
      expect(result.code).toBe(0);
      expect(dryRunJson(result).url).toBe(`${new URL(endpoint).origin}/`);
    }
  });

  it('defaults: intl endpoint over HTTPS, no region or language header, text output', async () => {
    const json = dryRunJson(await runMain(GET, { home: home.dir }));
    expect(json.url).toBe('https://tcss.intl.tencentcloudapi.com/');
    expect(json.headers).not.toHaveProperty('X-TC-Region');
    expect(json.headers).not.toHaveProperty('X-TC-Language');
    const text = await runMain(['image-scan', 'get', '--dry-run'], { home: home.dir });
    expect(text.stdout.startsWith('POST https://tcss.intl.tencentcloudapi.com/\n')).toBe(true);
  });

  it('region, endpoint and language: flag > env > config', async () => {
    await writeConfig({ region: 'ap-beijing', endpoint: 'config.example.com', language: 'zh-CN' });
    const fromConfig = dryRunJson(await runMain(GET, { home: home.dir }));
    expect(fromConfig.url).toBe('https://config.example.com/');
    expect(fromConfig.headers['X-TC-Region']).toBe('ap-beijing');
    expect(fromConfig.headers['X-TC-Language']).toBe('zh-CN');

    const env = { TCSS_REGION: 'ap-shanghai', TCSS_ENDPOINT: 'env.example.com', TCSS_LANGUAGE: 'en-us' };
    const fromEnv = dryRunJson(await runMain(GET, { home: home.dir, env }));
    expect(fromEnv.url).toBe('https://env.example.com/');
    expect(fromEnv.headers['X-TC-Region']).toBe('ap-shanghai');
    expect(fromEnv.headers['X-TC-Language']).toBe('en-US');

    const fromFlags = dryRunJson(
      await runMain(['--region', 'ap-singapore', '--endpoint', 'https://flag.example.com', '--language', 'zh-CN', ...GET], { home: home.dir, env }),
    );
    expect(fromFlags.url).toBe('https://flag.example.com/');
    expect(fromFlags.headers['X-TC-Region']).toBe('ap-singapore');
    expect(fromFlags.headers['X-TC-Language']).toBe('zh-CN');
  });

  it('TENCENTCLOUD_REGION is used after TCSS_REGION', async () => {
    const json = dryRunJson(await runMain(GET, { home: home.dir, env: { TENCENTCLOUD_REGION: 'ap-tokyo' } }));
    expect(json.headers['X-TC-Region']).toBe('ap-tokyo');
    const both = dryRunJson(await runMain(GET, { home: home.dir, env: { TENCENTCLOUD_REGION: 'ap-tokyo', TCSS_REGION: 'ap-seoul' } }));
    expect(both.headers['X-TC-Region']).toBe('ap-seoul');
  });

  it('an empty env variable counts as unset', async () => {
    await writeConfig({ region: 'ap-beijing' });
    const json = dryRunJson(await runMain(GET, { home: home.dir, env: { TCSS_REGION: '' } }));
    expect(json.headers['X-TC-Region']).toBe('ap-beijing');
  });

  it('output: flag > TCSS_OUTPUT > config > text', async () => {
    await writeConfig({ output: 'json' });
    const cfg = await runMain(['image-scan', 'get', '--dry-run'], { home: home.dir });
    expect(() => JSON.parse(cfg.stdout)).not.toThrow();
    const env = await runMain(['image-scan', 'get', '--dry-run'], { home: home.dir, env: { TCSS_OUTPUT: 'text' } });
    expect(env.stdout.startsWith('POST ')).toBe(true);
    const flag = await runMain(['--output', 'json', 'image-scan', 'get', '--dry-run'], { home: home.dir, env: { TCSS_OUTPUT: 'text' } });
    expect(() => JSON.parse(flag.stdout)).not.toThrow();
  });

  it('timeout: flag > TCSS_TIMEOUT > config, as --debug shows', async () => {
    await writeConfig({ timeout: 5 });
    const debugLine = async (args: string[], env?: Record<string, string>) =>
      (await runMain([...args, 'image-scan', 'get', '--dry-run', '--debug'], { home: home.dir, env })).stderr.split('\n').find((l) => l.startsWith('debug: timeout'));
    expect(await debugLine([])).toBe('debug: timeout from config (~/.tcssrc.json)');
    expect(await debugLine([], { TCSS_TIMEOUT: '7' })).toBe('debug: timeout from env (TCSS_TIMEOUT)');
    expect(await debugLine(['--timeout', '9'], { TCSS_TIMEOUT: '7' })).toBe('debug: timeout from flag (--timeout)');
  });

  it('profile: --profile > TCSS_PROFILE > TCCLI_PROFILE > config > default, as the signing SecretId shows', async () => {
    for (const name of ['default', 'flag', 'tcss', 'tccli', 'config']) {
      await home.tccli(name, { secretId: `AKID${name}`, secretKey: `key-of-${name}` });
    }
    const credentialOf = async (args: string[], env?: Record<string, string>) => {
      const json = dryRunJson(await runMain([...args, ...GET], { home: home.dir, env }));
      expect(json.signed).toBe(true);
      return /Credential=([^/]+)\//.exec(json.headers.Authorization ?? '')?.[1];
    };
    expect(await credentialOf([])).toBe('AKIDdefault');
    await writeConfig({ profile: 'config' });
    expect(await credentialOf([])).toBe('AKIDconfig');
    expect(await credentialOf([], { TCCLI_PROFILE: 'tccli' })).toBe('AKIDtccli');
    expect(await credentialOf([], { TCCLI_PROFILE: 'tccli', TCSS_PROFILE: 'tcss' })).toBe('AKIDtcss');
    expect(await credentialOf(['--profile', 'flag'], { TCCLI_PROFILE: 'tccli', TCSS_PROFILE: 'tcss' })).toBe('AKIDflag');
  });
});

describe('a number JSON cannot hold', () => {
  it('scanPeriod: 1e309 in a JSON config is reported as too large, not as "null"', async () => {
    await home.file('.tcssrc.json', '{"imageScan":{"scanPeriod":1e309}}');
    const result = await runMain([...SET, ...T, ...DRY], { home: home.dir });
    expectUsageError(result, 'the value of "imageScan.scanPeriod" in ~/.tcssrc.json is a number too large to read: use a whole number of days from 1 to 2147483647 (1, 2, 7, …)', 'Config.InvalidValue');
  });
});

describe('clearing', () => {
  it('none clears the end time and every list, from flags and from the config file alike', async () => {
    const config = { imageScan: { enable: true, scanTime: '01:00', scanEndTime: '05:00', excludeImages: ['x'], clusterIds: ['c'] } };
    const fromFlags = await dryBody(['--scan-end-time', 'none', '--exclude-images', 'none', '--cluster-ids', 'NONE', '--images', 'none'], config);
    expect(fromFlags).toStrictEqual(full({ Enable: true, ScanTime: '01:00', ...DEFAULTS }));
    expect(fromFlags).not.toHaveProperty('ScanEndTime');
    const fromConfig = await dryBody([], { imageScan: { enable: true, scanTime: '01:00', scanEndTime: null, excludeImages: [], images: 'none' } });
    expect(fromConfig).toStrictEqual(full({ Enable: true, ScanTime: '01:00', ...DEFAULTS }));
  });

});

describe('resolveSetSettings over the current settings', () => {
  const ctx = { debug: () => undefined } as never;
  it('keeps what no flag gives; refuses to keep a current value tcss cannot read unless a flag replaces it', async () => {
    const { resolveSetSettings } = await import('../../src/cli/commands/image-scan-set.js');
    const { flagsLayer } = await import('../../src/core/settings/layers.js');
    const current = { enable: true, scanTime: '01:00', scanPeriod: 7, scanVirus: false, scanRisk: true, scanVul: true, clusterIds: ['c'], unreadable: { scanScope: '9' } };
    expect(() => resolveSetSettings(ctx, [flagsLayer({ scanPeriod: '2' })], current)).toThrow(
      expect.objectContaining({ code: 'Usage.CannotKeep', message: "the account's current ScanScope (9) is not a value tcss knows, so it cannot be kept" }),
    );
    const resolved = resolveSetSettings(ctx, [flagsLayer({ scanPeriod: '2', scanScope: 'all' })], current);
    expect(resolved.settings).toMatchObject({ enable: true, scanTime: '01:00', scanPeriod: 2, scanVirus: false, scanScope: 0, clusterIds: ['c'], images: [] });
    expect(resolved.sources).toMatchObject({ enable: 'current', scanPeriod: 'flag', images: 'default' });
  });
});
