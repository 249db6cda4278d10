/**
 * The config search reads data only and stays within the project: planted files in a temporary tree, run by the
 * built binary. A marker file tells whether any planted JavaScript ran.
 */
import { chmod, chown, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runTcss } from '../helpers/cli.js';

const SET = ['image-scan', 'set', '--replace', '--enable', '--scan-time', '01:00', '--dry-run', '--output', 'json'];
/** The same, with errors as text. */
const SET_TEXT = SET.slice(0, -2);
const KEYS = { TENCENTCLOUD_SECRET_ID: 'AKIDplantedtestid000000000000000', TENCENTCLOUD_SECRET_KEY: 'plantedTestSecretKey0123456789ab' };

let root: string;
let marker: string;
/** JavaScript that leaves the marker behind when it runs. */
const code = (): string => `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran'); module.exports = { region: 'ap-ran' };`;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'tcss-discovery-'));
  marker = join(root, 'ran');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function plant(relative: string, content: string, mode = 0o644): Promise<string> {
  const path = join(root, relative);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, content);
  await chmod(path, mode);
  return path;
}

/** Runs in `cwd` (relative to the tree) with HOME = `home` (relative, or absolute). */
function run(args: string[], cwd: string, home = 'home', env: Record<string, string> = {}) {
  const homeDir = home.startsWith('/') ? home : join(root, home);
  return runTcss(args, { home: homeDir, cwd: join(root, cwd), env: { ...KEYS, XDG_CONFIG_HOME: join(homeDir, '.config'), ...env } });
}

const region = (stdout: string): string | undefined => (JSON.parse(stdout) as { headers: Record<string, string> }).headers['X-TC-Region'];

describe('config discovery never runs code', () => {
  beforeEach(async () => {
    await mkdir(join(root, 'home'), { recursive: true });
    await mkdir(join(root, 'project', '.git'), { recursive: true });
  });

  it('refuses $import in a found file and in a --config file, and runs nothing', async () => {
    await plant('project/docs/notes.cjs', code());
    await plant('project/.tcssrc.json', JSON.stringify({ $import: './docs/notes.cjs' }));
    const found = await run(SET_TEXT, 'project');
    expect(found.exitCode).toBe(2);
    expect(found.stderr).toMatch(/^Error \[Config\.Invalid\]: \S+\.tcssrc\.json: "\$import" is not supported/);
    await plant('elsewhere/c.yaml', `$import: ${join(root, 'project/docs/notes.cjs')}\n`);
    const explicit = await run(['--config', join(root, 'elsewhere/c.yaml'), ...SET_TEXT], 'project');
    expect(explicit.exitCode).toBe(2);
    expect(explicit.stderr).toContain('"$import" is not supported');
    await plant('project/package.json', JSON.stringify({ tcss: { $import: '../elsewhere/evil.cjs' } }));
    await rm(join(root, 'project/.tcssrc.json'));
    const pkg = await run(SET_TEXT, 'project');
    expect(pkg.exitCode).toBe(2);
    expect(pkg.stderr).toContain('package.json: "$import" is not supported');
    expect(existsSync(marker)).toBe(false);
  });

  it('ignores cosmiconfig meta config (.config/config.cjs, .config/config.json widening the search)', async () => {
    await plant('project/.config/config.cjs', code());
    await plant('outside/evil.cjs', code());
    const ran = await run(SET, 'project');
    expect(ran.exitCode).toBe(0);
    await rm(join(root, 'project/.config/config.cjs'));
    await plant('project/.config/config.json', JSON.stringify({ cosmiconfig: { searchPlaces: ['../outside/evil.cjs'], stopDir: '/' } }));
    const widened = await run(SET, 'project');
    expect(widened.exitCode).toBe(0);
    expect(region(widened.stdout)).toBeUndefined();
    expect(existsSync(marker)).toBe(false);
  });

  it('passes JavaScript config files in the checkout by, with a warning, and loads one named with --config', async () => {
    await plant('project/.tcssrc.cjs', code());
    await plant('project/tcss.config.js', code());
    const result = await run(SET, 'project');
    expect(result.exitCode).toBe(0);
    expect(existsSync(marker)).toBe(false);
    expect(result.stderr).toMatch(/warning: \S+\.tcssrc\.cjs is not read: a JavaScript or TypeScript config file runs code, so tcss loads one only when named with --config/);
    expect(result.stderr).toContain('tcss.config.js is not read');
    expect(region(result.stdout)).toBeUndefined();
    const named = await run(['--config', join(root, 'project/.tcssrc.cjs'), ...SET], 'project');
    expect(named.exitCode).toBe(0);
    expect(region(named.stdout)).toBe('ap-ran');
    expect(existsSync(marker)).toBe(true);
  });

  it('still reads data files: YAML in the project root, package.json\'s tcss key, the user\'s config folder', async () => {
    await plant('project/.tcssrc.yaml', 'region: ap-singapore\n');
    await mkdir(join(root, 'project/src/deep'), { recursive: true });
    expect(region((await run(SET, 'project/src/deep')).stdout)).toBe('ap-singapore');
    await rm(join(root, 'project/.tcssrc.yaml'));
    await plant('project/package.json', JSON.stringify({ name: 'x', tcss: { region: 'ap-tokyo' } }));
    expect(region((await run(SET, 'project/src/deep')).stdout)).toBe('ap-tokyo');
    await rm(join(root, 'project/package.json'));
    await plant('home/.config/tcss/config.yml', 'region: ap-seoul\n');
    expect(region((await run(SET, 'project')).stdout)).toBe('ap-seoul');
  });
});

describe('the search stays within the project', () => {
  it('with HOME=/ or a HOME above the working directory, a file planted above the working directory is not read', async () => {
    // root plays /tmp: no project marker anywhere, the job runs in root/workspace/job.
    await plant('.tcssrc.cjs', code());
    await plant('.tcssrc.json', JSON.stringify({ region: 'ap-planted' }));
    await mkdir(join(root, 'workspace', 'job'), { recursive: true });
    for (const home of ['/', root]) {
      const result = await run(SET, 'workspace/job', home, { XDG_CONFIG_HOME: join(root, 'no-xdg') });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(region(result.stdout)).toBeUndefined();
    }
    expect(existsSync(marker)).toBe(false);
  });

  it('never climbs into a folder anyone may write to, even to find a project root', async () => {
    await chmod(root, 0o1777);
    await plant('package.json', JSON.stringify({ tcss: { region: 'ap-planted' } }));
    await mkdir(join(root, 'job'), { recursive: true });
    await mkdir(join(root, 'home'), { recursive: true });
    const result = await run(SET, 'job');
    expect(result.exitCode, result.stderr).toBe(0);
    expect(region(result.stdout)).toBeUndefined();
  });
});

describe('a found file must be a small regular file its owner alone can change', () => {
  beforeEach(async () => {
    await mkdir(join(root, 'home'), { recursive: true });
    await mkdir(join(root, 'project', '.git'), { recursive: true });
  });

  it('refuses a symlink to /dev/zero and a file over 1 MiB, quickly', async () => {
    await symlink('/dev/zero', join(root, 'project/.tcssrc.json'));
    const started = Date.now();
    const zero = await run(SET_TEXT, 'project');
    expect(zero.exitCode).toBe(2);
    expect(zero.stderr).toMatch(/^Error \[Config\.NotFound\]: \S+\.tcssrc\.json is not a regular file \(a device, pipe or socket\)\n$/);
    expect(Date.now() - started).toBeLessThan(5000);
    await rm(join(root, 'project/.tcssrc.json'));
    await plant('project/.tcssrc.json', `{"region":"ap-x"${' '.repeat(1024 * 1024)}}`);
    const big = await run(SET_TEXT, 'project');
    expect(big.exitCode).toBe(2);
    expect(big.stderr).toMatch(/\.tcssrc\.json is over 1048576 bytes/);
  });

  it('refuses a config file or a credential file others can write, naming the chmod', async () => {
    const file = await plant('project/.tcssrc.json', JSON.stringify({ region: 'ap-x' }), 0o666);
    const config = await run(SET_TEXT, 'project');
    expect(config.exitCode).toBe(2);
    expect(config.stderr).toBe(`Error [Config.Unsafe]: ${file} can be changed by anyone; tcss refuses a config file others can write\nhint: run: chmod go-w ${file}\n`);
    await chmod(file, 0o664);
    expect((await run(SET_TEXT, 'project')).stderr).toContain('can be changed by its group');
    await chmod(file, 0o644);
    expect((await run(SET, 'project')).exitCode).toBe(0);
    await plant('home/.tccli/default.credential', JSON.stringify({ secretId: 'AKIDfromfile00000000000000000000', secretKey: 'fileSecretKey0123456789abcdefghij' }), 0o646);
    const creds = await runTcss(SET_TEXT, { home: join(root, 'home'), cwd: join(root, 'project') });
    expect(creds.exitCode).toBe(2);
    expect(creds.stderr).toBe(
      'Error [Credentials.Unsafe]: ~/.tccli/default.credential can be changed by anyone; tcss refuses a credential file others can write\nhint: run: chmod go-w ~/.tccli/default.credential\n',
    );
  });

  it.runIf(process.getuid?.() === 0)('reads a file owned by another user with a one-line warning (root-owned files are trusted)', async () => {
    const file = await plant('project/.tcssrc.json', JSON.stringify({ region: 'ap-owned' }));
    await chown(file, 12345, 12345);
    const result = await run(SET, 'project');
    expect(result.exitCode).toBe(0);
    expect(region(result.stdout)).toBe('ap-owned');
    expect(result.stderr.split('\n')[0]).toBe(`warning: ${file} is owned by another user (uid 12345, not 0); reading it anyway`);
  });
});
