/**
 * The package as a user gets it: the tarball of `npm pack`, installed with `npm install --global` into a
 * throwaway prefix from an empty npm cache with --offline, and its `tcss` run end to end against its own
 * emulator: version, help, set, get, a YAML config, apply and diff of a YAML policy, the wizard starting in a
 * pseudo-terminal, completion, and the code cache. A file missing from `files`, a bundling slip or a
 * require of a dev dependency fails here.
 *
 * TCSS_INSTALLED_BIN: an installed `tcss` to test (.ci/run installs one and runs this file with each Node);
 * without it, the current build is packed (without rebuilding) and installed first.
 * TCSS_INSTALLED_NODE: the `node` the command runs with (first on PATH, as its `#!/usr/bin/env node` finds
 * it); default the Node running the tests.
 */
import { execa, type Options } from 'execa';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, makeTempHome, type TempHome } from '../helpers/cli.js';
import { runInPty } from '../helpers/pty.js';

const NODE = process.env.TCSS_INSTALLED_NODE || process.execPath;
const SECRET_ID = 'AKIDinstalled000000000000000000000001';
const SECRET_KEY = 'installedSmokeSecretKey000000000';

let home: TempHome;
let bin: string;
let packageDir: string;
let ownInstall: string | undefined;
let emulator: { url: string; stop: () => Promise<void> } | undefined;
let nodeVersion: string;

/** The environment of a user whose PATH starts with the Node under test; nothing inherited but PATH's rest. */
function userEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    PATH: `${dirname(NODE)}:${process.env.PATH}`,
    HOME: home.dir,
    XDG_CONFIG_HOME: join(home.dir, '.config'),
    XDG_CACHE_HOME: join(home.dir, '.cache'),
    TMPDIR: join(home.dir, 'tmp'),
    NO_COLOR: '1',
    ...extra,
  };
}

const keys = { TENCENTCLOUD_SECRET_ID: SECRET_ID, TENCENTCLOUD_SECRET_KEY: SECRET_KEY };

async function tcss(args: string[], options: { env?: Record<string, string | undefined>; cwd?: string; input?: string } = {}) {
  const execOptions: Options = {
    env: userEnv(options.env),
    extendEnv: false,
    cwd: options.cwd ?? home.dir,
    input: options.input ?? '',
    reject: false,
    timeout: 20_000,
  };
  const result = await execa(bin, args, execOptions);
  return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** Starts the installed `tcss emulator` and resolves with its URL once it listens. */
async function startEmulator(): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = execa(bin, ['emulator', '--port', '0'], {
    env: userEnv({ TCSS_EMULATOR_SECRET_ID: SECRET_ID, TCSS_EMULATOR_SECRET_KEY: SECRET_KEY }),
    extendEnv: false,
    cwd: home.dir,
    reject: false,
    buffer: false,
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the installed emulator did not start: ${out}`)), 15_000);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        child.stdout?.removeAllListeners('data').resume();
        resolve(match[1] as string);
      }
    });
    child.stderr?.resume();
    void child.then((r) => reject(new Error(`the installed emulator exited (${r.exitCode}): ${out}`)));
  });
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await child;
    },
  };
}

async function received(): Promise<Array<{ action?: string; body: string }>> {
  const res = await fetch(`${emulator!.url}/_emulator/requests`);
  return (await res.json()) as Array<{ action?: string; body: string }>;
}

beforeAll(async () => {
  home = await makeTempHome();
  await mkdir(join(home.dir, 'tmp'));
  if (process.env.TCSS_INSTALLED_BIN) {
    bin = process.env.TCSS_INSTALLED_BIN;
  } else {
    ownInstall = join(tmpdir(), `tcss-installed-${process.pid}-${Date.now()}`);
    const { stdout } = await execa('node', [join(ROOT, 'scripts', 'install-packed.js'), '--dest', ownInstall, '--ignore-scripts'], { cwd: ROOT });
    bin = (JSON.parse(stdout) as { bin: string }).bin;
  }
  packageDir = dirname(dirname(await realpath(bin)));
  nodeVersion = (await execa(NODE, ['-p', 'process.version'])).stdout;
  emulator = await startEmulator();
}, 120_000);

afterAll(async () => {
  await emulator?.stop();
  await home?.cleanup();
  if (ownInstall) await rm(ownInstall, { recursive: true, force: true });
});

describe('the installed package', () => {
  it('is tcss-cli alone: no dependencies, no node_modules, the files it needs', async () => {
    const pkg = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg.name).toBe('tcss-cli');
    expect(pkg.bin).toEqual({ tcss: 'bin/tcss.js' });
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(existsSync(join(packageDir, 'node_modules'))).toBe(false);
    // Nothing else was installed next to it.
    expect(await readdir(dirname(packageDir))).toEqual(['tcss-cli']);
    expect((await readFile(join(packageDir, 'LICENSE'), 'utf8')).split('\n')[0]).toBe('MIT License');
    for (const file of ['bin/tcss.js', 'dist/tcss.cjs', 'dist/fast-paths.json', 'dist/vendor/js-yaml.cjs', 'schema/tcss-policy.schema.json']) {
      expect(existsSync(join(packageDir, file)), file).toBe(true);
    }
    expect(existsSync(join(packageDir, 'src'))).toBe(false);
    expect(existsSync(join(packageDir, 'test'))).toBe(false);
  });

  it('runs with the Node under test', async () => {
    const { stdout } = await execa('node', ['-p', 'process.version'], { env: userEnv(), extendEnv: false });
    expect(stdout).toBe(nodeVersion);
  });

  it('--version, the early answer and the parser\'s', async () => {
    const pkg = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as { version: string };
    for (const args of [['--version'], ['-V'], ['--no-color', '--version']]) {
      const result = await tcss(args);
      expect(result.exitCode, args.join(' ')).toBe(0);
      expect(result.stdout).toBe(pkg.version);
      expect(result.stderr).toBe('');
    }
  });

  it('--help and a command\'s help', async () => {
    const top = await tcss(['--help']);
    expect(top.exitCode).toBe(0);
    expect(top.stdout).toMatch(/^Usage: tcss \[options\] \[command\]/);
    expect(top.stdout).toContain('completion');
    const set = await tcss(['image-scan', 'set', '--help']);
    expect(set.exitCode).toBe(0);
    expect(set.stdout).toContain('--scan-scope <scope>');
  });

  it('set, then get, against the emulator', async () => {
    const set = await tcss(['image-scan', 'set', '--enable', '--scan-time', '01:00', '--scan-period', '3', '--scan-vul', '--endpoint', emulator!.url], { env: keys });
    expect(set.stderr).toBe('');
    expect(set.exitCode).toBe(0);
    expect(set.stdout).toMatch(/^[0-9a-f-]{36}$/);
    const get = await tcss(['image-scan', 'get', '--output', 'json', '--endpoint', emulator!.url], { env: keys });
    expect(get.exitCode).toBe(0);
    const response = JSON.parse(get.stdout) as Record<string, unknown>;
    expect(response).toMatchObject({ Enable: true, ScanTime: '01:00:00', ScanPeriod: 3, ScanVul: true });
    // undici's other llhttp build, from its own bundle in the tarball.
    const noSimd = await tcss(['image-scan', 'get', '--endpoint', emulator!.url], { env: { ...keys, UNDICI_NO_WASM_SIMD: '1' } });
    expect(noSimd.stderr).toBe('');
    expect(noSimd.exitCode).toBe(0);
  });

  it('a YAML config file, and diff then apply of a YAML policy', async () => {
    const project = join(home.dir, 'project');
    await mkdir(join(project, '.git'), { recursive: true });
    await writeFile(join(project, '.tcssrc.yaml'), `endpoint: ${emulator!.url}\n`);
    await writeFile(join(project, 'policy.yaml'), 'enable: true\nscanTime: "04:30"\nscanPeriod: 7\n');
    const before = await tcss(['image-scan', 'diff', '-f', 'policy.yaml'], { env: keys, cwd: project });
    expect(before.exitCode).toBe(5);
    expect(before.stdout).toContain('04:30');
    const apply = await tcss(['image-scan', 'apply', '-f', 'policy.yaml', '--yes'], { env: keys, cwd: project });
    expect(apply.stderr).not.toContain('Error');
    expect(apply.exitCode).toBe(0);
    const after = await tcss(['image-scan', 'diff', '-f', 'policy.yaml'], { env: keys, cwd: project });
    expect(after.exitCode).toBe(0);
    const writes = (await received()).filter((r) => r.action === 'CreateAssetImageScanSetting');
    expect(JSON.parse(writes.at(-1)!.body)).toMatchObject({ ScanTime: '04:30', ScanPeriod: 7 });
  });

  it('the wizard starts in a pseudo-terminal; Ctrl-C leaves with 130 and sends nothing', async () => {
    const writesBefore = (await received()).filter((r) => r.action === 'CreateAssetImageScanSetting').length;
    const env = userEnv(keys);
    const result = await runInPty([bin, 'image-scan', 'set', '-i', '--endpoint', emulator!.url], {
      cwd: home.dir,
      env: { ...env, TERM: 'xterm-256color' },
      steps: [{ waitFor: 'Turn scheduled image scans on?', send: '\u0003' }],
      timeoutMs: 20_000,
    });
    expect(result.pending).toBe(0);
    expect(result.output).toContain('Turn scheduled image scans on?');
    expect(result.code).toBe(130);
    expect((await received()).filter((r) => r.action === 'CreateAssetImageScanSetting').length).toBe(writesBefore);
  });

  it('completion: a bash script bash accepts, and profile names from the credential files', async () => {
    const script = await tcss(['completion', 'bash']);
    expect(script.exitCode).toBe(0);
    expect((await execa('bash', ['-n'], { input: script.stdout, reject: false })).exitCode).toBe(0);
    await home.tccli('installed', { secretId: SECRET_ID, secretKey: SECRET_KEY });
    const profiles = await tcss(['completion', '--profiles']);
    expect(profiles.stdout).toBe('installed');
  });

  it('starts from a V8 code cache on this Node: the package\'s where it fits, else its own in the user\'s cache folder (0700), never in TMPDIR', async () => {
    // The commands above ran with this Node in this home; one more that sends a request, then what loadCli finds.
    expect((await tcss(['image-scan', 'get', '--endpoint', emulator!.url], { env: keys })).exitCode).toBe(0);
    // A script file, not -e: tcss keys its own cache on Node's options, as a command starts.
    const probe = join(home.dir, 'cache-state.cjs');
    await writeFile(probe, `const c = require(${JSON.stringify(join(packageDir, 'bin', 'tcss.js'))}).loadCli(); process.stdout.write(c.cache + ' ' + c.from);\n`);
    const state = (await execa(NODE, [probe], { env: userEnv(), extendEnv: false, cwd: home.dir })).stdout;
    const cacheDir = join(home.dir, '.cache', 'tcss');
    const own = (await readdir(cacheDir)).filter((name) => name.endsWith('.cache'));
    const shippedV8 = (await readFile(join(packageDir, 'dist', 'tcss.cjs.cache'), 'latin1')).split('\n', 2)[1];
    if (shippedV8 === `v8 ${(await execa(NODE, ['-p', 'process.versions.v8'])).stdout}`) {
      expect(state).toBe('used package');
      expect(own).toEqual([]);
    } else {
      // Recorded after a command, with the network code (the header says "network"), and taken from then on.
      expect(state).toBe('used user');
      expect(own).toHaveLength(1);
      expect(((await stat(join(cacheDir, own[0]!))).mode & 0o777).toString(8)).toBe('600');
      expect((await readFile(join(cacheDir, own[0]!), 'latin1')).split('\n', 3)[2]).toMatch(/^crc32 \d+ \d+ network$/);
    }
    expect(((await stat(cacheDir)).mode & 0o777).toString(8)).toBe('700');
    expect(await readdir(join(home.dir, 'tmp'))).toEqual([]);
  });
});
