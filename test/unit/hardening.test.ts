/**
 * Fixes from the pre-release review: config search boundary, secrets in endpoint URLs, terminal escapes from
 * the server, JSON errors chosen by the config file, profile precedence, `--proxy none`, hint actions,
 * config/credential file errors.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseApiResponse } from '../../src/core/api/client.js';
import { searchStopDir } from '../../src/core/config/load.js';
import { ApiError, NetworkError } from '../../src/core/errors.js';
import { printable } from '../../src/core/printable.js';
import type { Emulator } from '../../src/emulator/types.js';
import { ACCOUNT_A, startTestEmulator } from '../helpers/emulator-client.js';
import { makeTempHome, type TempHome } from '../helpers/cli.js';
import { runMain } from '../helpers/main.js';

// --replace: one Create and no read, so that these runs are about profiles, proxies and hints alone.
const SET = ['image-scan', 'set', '--replace', '--enable', '--scan-time', '01:00'];
const CREDS = { TENCENTCLOUD_SECRET_ID: ACCOUNT_A.secretId, TENCENTCLOUD_SECRET_KEY: ACCOUNT_A.secretKey };

let home: TempHome;
let scratch: string;
let emulator: Emulator | undefined;
beforeEach(async () => {
  home = await makeTempHome();
  scratch = await mkdtemp(join(tmpdir(), 'tcss-outside-'));
});
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
  await home.cleanup();
  await rm(scratch, { recursive: true, force: true });
});

describe('config search boundary', () => {
  it('never runs a JavaScript config file above the working directory outside the project and home', async () => {
    const marker = join(scratch, 'ran');
    await writeFile(join(scratch, '.tcssrc.cjs'), `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x'); module.exports = {};`);
    const inner = join(scratch, 'workspace', 'job');
    await mkdir(inner, { recursive: true });
    const result = await runMain([...SET, '--dry-run'], { home: home.dir, cwd: inner });
    expect(result.code).toBe(0);
    expect(existsSync(marker)).toBe(false);
    expect(searchStopDir(inner)).toBe(inner);
  });

  it('searches up to the project root (a folder with .git) and finds the config there', async () => {
    await mkdir(join(scratch, '.git'));
    await writeFile(join(scratch, '.tcssrc.json'), JSON.stringify({ region: 'ap-singapore' }));
    const inner = join(scratch, 'src', 'deep');
    await mkdir(inner, { recursive: true });
    expect(searchStopDir(inner)).toBe(scratch);
    const result = await runMain([...SET, '--dry-run', '--output', 'json'], { home: home.dir, cwd: inner });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).headers['X-TC-Region']).toBe('ap-singapore');
  });

  it('a directory given as --config, and a config file that throws, are named errors without their text', async () => {
    const dir = await runMain(['--config', scratch, ...SET, '--dry-run'], { home: home.dir });
    expect(dir.code).toBe(2);
    expect(dir.stderr).toBe(`Error [Config.NotFound]: --config ${scratch} is a directory, not a config file\n`);
    const file = join(scratch, 'tcss.config.cjs');
    await writeFile(file, "throw new Error('do not print me');");
    const thrown = await runMain(['--config', file, ...SET, '--dry-run'], { home: home.dir });
    expect(thrown.code).toBe(2);
    expect(thrown.stderr).toMatch(/^Error \[Config\.LoadFailed\]: --config .*tcss\.config\.cjs failed to load/);
    expect(thrown.all).not.toContain('do not print me');
    // In the project, the search passes a JavaScript config file by (it would run code) and says so.
    const project = join(scratch, 'project');
    await mkdir(join(project, '.git'), { recursive: true });
    await writeFile(join(project, '.tcssrc.cjs'), "throw new Error('do not print me');");
    const searched = await runMain([...SET, '--dry-run'], { home: home.dir, cwd: project });
    expect(searched.code).toBe(0);
    expect(searched.stderr).toMatch(/^warning: \S*project\/\.tcssrc\.cjs is not read: a JavaScript or TypeScript config file runs code/);
    expect(searched.all).not.toContain('do not print me');
    // Asked for with --debug, what a --config file threw is shown.
    const debugged = await runMain(['--config', file, ...SET, '--dry-run', '--debug'], { home: home.dir, cwd: project });
    expect(debugged.code).toBe(2);
    expect(debugged.stderr).toContain('caused by: Error: do not print me');
  });
});

describe('files that never end', () => {
  it('a device given as --config or as a policy file is refused at once, not read until memory runs out', async () => {
    const started = performance.now();
    const config = await runMain(['--config', '/dev/zero', ...SET, '--dry-run'], { home: home.dir });
    expect(config.code).toBe(2);
    expect(config.stderr).toBe('Error [Config.NotFound]: --config /dev/zero is not a regular file (a device, pipe or socket)\n');
    const policy = await runMain(['image-scan', 'diff', '-f', '/dev/zero'], { home: home.dir });
    expect(policy.code).toBe(2);
    expect(policy.stderr).toBe('Error [Policy.Invalid]: /dev/zero is over 1048576 bytes; it is not a policy file\n');
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('a YAML config that refers to itself', () => {
  it('is a one-line Config.Invalid naming the file, not an internal error', async () => {
    const project = join(scratch, 'loop-config');
    await mkdir(join(project, '.git'), { recursive: true });
    await writeFile(join(project, '.tcssrc.yaml'), 'imageScan:\n  excludeImages: &a [*a]\n');
    const result = await runMain([...SET, '--dry-run'], { home: home.dir, cwd: project });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Error \[Config\.Invalid\]: \S*loop-config\/\.tcssrc\.yaml refers to itself \(a YAML alias inside its own anchor\)\n$/);
  });
});

describe('secrets in values', () => {
  it('an endpoint URL with a password is refused without repeating it', async () => {
    for (const env of [{}, { TCSS_ENDPOINT: 'https://me:hunter2pw@example.com' }]) {
      const args = 'TCSS_ENDPOINT' in env ? SET : [...SET, '--endpoint', 'https://me:hunter2pw@example.com'];
      const result = await runMain([...args, '--dry-run'], { home: home.dir, env });
      expect(result.code).toBe(2);
      expect(result.all).not.toContain('hunter2pw');
      expect(result.stderr).toContain('"https://***@example.com"');
    }
  });

  it('a proxy password in the config file is refused; in --proxy it is used but never shown', async () => {
    await home.file('.tcssrc.json', JSON.stringify({ proxy: 'http://me:hunter2pw@127.0.0.1:9' }));
    const result = await runMain([...SET, '--dry-run'], { home: home.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Error \[Config\.SecretInFile\]: "proxy" in ~\/\.tcssrc\.json holds a proxy password/);
    expect(result.all).not.toContain('hunter2pw');
  });
});

describe('text from the server', () => {
  const answer = (doc: unknown) => ({ status: 200, headers: {}, body: Buffer.from(JSON.stringify(doc)) });

  it('makes control characters in error codes and messages visible instead of sending them to the terminal', () => {
    const error = (() => {
      try {
        parseApiResponse(answer({ Response: { Error: { Code: 'X\u001b[32m', Message: 'a\nFAKE \u001b[2K\r' }, RequestId: 'r-1' } }));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('X\\x1b[32m');
    expect((error as ApiError).message).toBe('a\\x0aFAKE \\x1b[2K\\x0d');
    expect(printable('ok\u202etxt')).toBe('ok\\u202etxt');
  });

  it('refuses an unprintable RequestId as not the API\'s', () => {
    expect(() => parseApiResponse(answer({ Response: { RequestId: 'id\u001b[2J' } }))).toThrow(NetworkError);
  });
});

describe('output format, profiles, proxies and hints', () => {
  it('errors are JSON when the config file asks for JSON output, and --output is case-insensitive', async () => {
    await home.file('.tcssrc.json', JSON.stringify({ output: 'json' }));
    const fromConfig = await runMain(['image-scan', 'set', '--enable', '--scan-time', '99:00'], { home: home.dir });
    expect(fromConfig.code).toBe(2);
    expect(JSON.parse(fromConfig.stderr).error.code).toBe('Usage.InvalidValue');
    const upper = await runMain(['image-scan', 'set', '--bogus', '--output', 'JSON'], { home: home.dir });
    expect(upper.code).toBe(2);
    expect(JSON.parse(upper.stderr).error.code).toBe('Usage.InvalidArguments');
  });

  it('a profile in the config file does not hide the environment keys; --profile does', async () => {
    await home.file('.tcssrc.json', JSON.stringify({ profile: 'other' }));
    const fromConfig = await runMain([...SET, '--dry-run', '--output', 'json'], { home: home.dir, env: CREDS });
    expect(JSON.parse(fromConfig.stdout).signed).toBe(true);
    const explicit = await runMain([...SET, '--profile', 'other', '--dry-run', '--output', 'json'], { home: home.dir, env: CREDS });
    expect(JSON.parse(explicit.stdout).signed).toBe(false);
  });

  it('--proxy none connects directly; a loopback endpoint is reached directly whatever HTTPS_PROXY/HTTP_PROXY say', async () => {
    emulator = await startTestEmulator();
    const env = { ...CREDS, TCSS_ENDPOINT: emulator.url, HTTP_PROXY: 'http://127.0.0.1:9', http_proxy: 'http://127.0.0.1:9' };
    const loopback = await runMain([...SET, '--retries', '0'], { home: home.dir, env, now: Date.now() });
    expect(loopback.code).toBe(0);
    const direct = await runMain([...SET, '--proxy', 'none'], { home: home.dir, env, now: Date.now() });
    expect(direct.code).toBe(0);
    expect(emulator.requests).toHaveLength(2);
  });

  it('a permission error on get names the read action', async () => {
    emulator = await startTestEmulator();
    emulator.injectFault({ kind: 'api-error', code: 'UnauthorizedOperation', message: 'no permission' });
    const result = await runMain(['image-scan', 'get'], { home: home.dir, env: { ...CREDS, TCSS_ENDPOINT: emulator.url }, now: Date.now() });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('tcss:DescribeAssetImageScanSetting');
    expect(result.stderr).not.toContain('tcss:CreateAssetImageScanSetting');
  });
});

describe('credential files', () => {
  it('a tccli file with a non-string key says so', async () => {
    await home.file('.tccli/default.credential', JSON.stringify({ secretId: 'AKIDx', secretKey: 12345678 }));
    const result = await runMain(['image-scan', 'get'], { home: home.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Error \[Credentials\.Invalid\]: "secretKey" in ~\/\.tccli\/default\.credential must be a string/);
  });

  it('a credential file that is a directory is a named, one-line error', async () => {
    await mkdir(join(home.dir, '.tccli', 'default.credential'), { recursive: true });
    const result = await runMain(['image-scan', 'get'], { home: home.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Error \[Credentials\.Unreadable\]: cannot read the credential file ~\/\.tccli\/default\.credential: it is a directory\n/);
  });
});
