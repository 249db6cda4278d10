/**
 * The start-up shortcuts behave exactly like the long way round: `tcss --version` and `tcss --help` answered
 * by bin/tcss.js print what commander prints, and dist/tcss.cjs does the same with V8's code cache, without
 * it, and with a cache that does not fit (docs/performance.md).
 */
import { execa } from 'execa';
import { chmod, cp, mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/types.js';
import { BIN, ROOT, cleanEnv, makeTempHome, runTcss, type TempHome } from '../helpers/cli.js';
import { ACCOUNT_A, startTestEmulator } from '../helpers/emulator-client.js';

let home: TempHome;
let emulator: Emulator;
beforeAll(async () => {
  home = await makeTempHome();
  emulator = await startTestEmulator();
});
afterAll(async () => {
  await emulator?.close();
  await home?.cleanup();
});

describe('tcss --version', () => {
  it('prints the same line, exit 0, whether answered early or by commander', async () => {
    const early = await runTcss(['--version'], { home: home.dir });
    const short = await runTcss(['-V'], { home: home.dir });
    // Any other argument makes the full parser answer.
    const parsed = await runTcss(['--no-color', '--version'], { home: home.dir });
    const parsedShort = await runTcss(['-V', '--no-color'], { home: home.dir });
    for (const result of [early, short, parsed, parsedShort]) {
      expect(result.exitCode).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe(`${__TCSS_VERSION__}\n`);
    }
  });
});

describe('tcss --help', () => {
  it('prints what commander prints, whether answered by bin/tcss.js or by the parser', async () => {
    const parsed = await runTcss(['--no-color', '--help'], { home: home.dir });
    expect(parsed.exitCode).toBe(0);
    expect(parsed.stdout).toMatch(/^Usage: tcss \[options\] \[command\]\n/);
    for (const [args, env] of [
      [['--help'], {}],
      [['-h'], {}],
      [['--help'], { FORCE_COLOR: '1', NO_COLOR: undefined }],
    ] as const) {
      const early = await runTcss(args, { home: home.dir, env });
      expect(early.exitCode).toBe(0);
      expect(early.stderr).toBe('');
      expect(early.stdout).toBe(parsed.stdout);
    }
    const forcedParsed = await runTcss(['--help', '--no-color'], { home: home.dir, env: { FORCE_COLOR: '1', NO_COLOR: undefined } });
    expect(forcedParsed.stdout).toBe(parsed.stdout);
  });
});

describe('colour still follows the environment (chalk sees the real process)', () => {
  it('FORCE_COLOR colours the dry-run note; NO_COLOR does not', async () => {
    const args = ['image-scan', 'set', '--enable', '--scan-time', '01:00', '--dry-run'];
    const forced = await runTcss(args, { home: home.dir, env: { FORCE_COLOR: '1', NO_COLOR: undefined } });
    expect(forced.exitCode).toBe(0);
    expect(forced.stderr).toContain('\u001b[2m');
    const plain = await runTcss(args, { home: home.dir });
    expect(plain.exitCode).toBe(0);
    expect(plain.stderr).not.toContain('\u001b[');
  });
});

/** What `loadCli()` of the bin/tcss.js at `bin` says of the code cache, in a fresh Node process. */
async function cacheState(bin: string, nodeFlags: string[] = []): Promise<string> {
  const result = await execa('node', [...nodeFlags, '-e', `process.stdout.write(require(${JSON.stringify(bin)}).loadCli().cache)`], {
    env: cleanEnv(home.dir),
    extendEnv: false,
    cwd: home.dir,
  });
  return result.stdout;
}

/** A copy of bin/ and dist/ whose cache can be spoiled; no node_modules: the package needs none. */
async function copyInstall(name: string): Promise<{ bin: string; cache: string }> {
  const dir = join(home.dir, name);
  await mkdir(dir, { recursive: true });
  await cp(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
  await cp(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
  return { bin: join(dir, 'bin', 'tcss.js'), cache: join(dir, 'dist', 'tcss.cjs.cache') };
}

/** A few runs whose output shows the CLI at work: help, a usage error, a dry run and a real call. */
async function transcript(bin: string, nodeFlags: string[] = []): Promise<string[]> {
  const keys = { TENCENTCLOUD_SECRET_ID: ACCOUNT_A.secretId, TENCENTCLOUD_SECRET_KEY: ACCOUNT_A.secretKey };
  // A project with a config file (cosmiconfig, from dist/vendor/) and a YAML policy (js-yaml, from dist/vendor/).
  const project = join(home.dir, 'transcript-project');
  await mkdir(join(project, '.git'), { recursive: true });
  await writeFile(join(project, '.tcssrc.json'), '{"region":"ap-singapore"}');
  await writeFile(join(project, 'policy.yaml'), 'enable: true\nscanTime: "02:30"\nscanPeriod: 7\n');
  const runs = [
    ['image-scan', 'set', '--help'],
    ['image-scan', 'set', '--scan-time', '25:00'],
    // --replace: a plain set would read the account first, here the real endpoint.
    ['image-scan', 'set', '--replace', '--enable', '--scan-time', '01:00', '--dry-run'],
    ['image-scan', 'set', '--enable', '--scan-time', '02:30', '--endpoint', emulator.url],
    ['image-scan', 'get', '--endpoint', emulator.url, '--output', 'json'],
    ['image-scan', 'diff', '-f', 'policy.yaml', '--endpoint', emulator.url],
  ];
  const lines: string[] = [];
  for (const args of runs) {
    const result = await execa('node', [...nodeFlags, bin, ...args], { env: cleanEnv(home.dir, keys), extendEnv: false, cwd: project, reject: false });
    const text = `${result.exitCode}\n${result.stdout}\n${result.stderr}`
      .replace(/X-TC-Timestamp: \d+/g, 'X-TC-Timestamp: <t>')
      .replace(/\d{4}-\d\d-\d\d\/tcss/g, '<date>/tcss')
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<request-id>');
    lines.push(`$ tcss ${args.join(' ')}\n${text}`);
  }
  return lines;
}

describe('bin/tcss.js and the code cache', () => {
  it('without a cache that fits, turns on Node\'s compile cache where Node has one; with one, leaves it off', async () => {
    // Node 20 has no module.enableCompileCache; this preload supplies one that records the call, so the branch
    // in bin/tcss.js runs the way Node >= 22.1 runs it.
    const preload = join(home.dir, 'fake-compile-cache.cjs');
    await writeFile(preload, "require('node:module').enableCompileCache = () => { require('node:fs').writeSync(2, 'compile cache on\\n'); return { status: 0 }; };\n");
    const noCache = await copyInstall('no-cache');
    await writeFile(noCache.cache, '');
    for (const [bin, stderr] of [[noCache.bin, 'compile cache on\n'], [BIN, '']] as const) {
      const result = await execa('node', ['--require', preload, bin, '--no-color', '--version'], {
        env: cleanEnv(home.dir),
        extendEnv: false,
        reject: false,
        stripFinalNewline: false,
      });
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toBe(`${__TCSS_VERSION__}\n`);
      expect(result.stderr).toBe(stderr);
    }
  });

  it('keeps Node\'s compile cache in the user\'s own cache folder, created 0700, never under the shared tmpdir', async () => {
    // As above, a preload stands in for module.enableCompileCache, printing the folder it is given.
    const preload = join(home.dir, 'fake-compile-cache-dir.cjs');
    await writeFile(preload, "require('node:module').enableCompileCache = (dir) => { require('node:fs').writeSync(2, `compile cache in ${dir}\\n`); return { status: 0 }; };\n");
    const noCache = await copyInstall('no-cache-dir');
    await writeFile(noCache.cache, '');
    const run = async (userHome: string, env: Record<string, string | undefined> = {}): Promise<string> => {
      const result = await execa('node', ['--require', preload, noCache.bin, '--no-color', '--version'], {
        env: cleanEnv(userHome, { TMPDIR: join(userHome, 'tmp'), ...env }),
        extendEnv: false,
        reject: false,
      });
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toBe(__TCSS_VERSION__);
      return result.stderr;
    };
    const modeOf = async (path: string): Promise<number> => (await stat(path)).mode & 0o777;

    // $XDG_CACHE_HOME/tcss, made 0700 with its parents.
    const a = join(home.dir, 'user-a');
    expect(await run(a, { XDG_CACHE_HOME: join(a, 'xdg', 'cache') })).toBe(`compile cache in ${join(a, 'xdg', 'cache', 'tcss', 'node-compile-cache')}`);
    expect(await modeOf(join(a, 'xdg', 'cache', 'tcss'))).toBe(0o700);
    // Without it, or with a relative one (the XDG spec says to ignore it), ~/.cache/tcss.
    const b = join(home.dir, 'user-b');
    await mkdir(b);
    expect(await run(b)).toBe(`compile cache in ${join(b, '.cache', 'tcss', 'node-compile-cache')}`);
    expect(await modeOf(join(b, '.cache', 'tcss'))).toBe(0o700);
    expect(await run(b, { XDG_CACHE_HOME: 'relative/cache' })).toBe(`compile cache in ${join(b, '.cache', 'tcss', 'node-compile-cache')}`);
    // An existing folder that others could read or write is narrowed to 0700 first.
    const c = join(home.dir, 'user-c');
    await mkdir(join(c, '.cache', 'tcss'), { recursive: true });
    await chmod(join(c, '.cache', 'tcss'), 0o777);
    expect(await run(c)).toBe(`compile cache in ${join(c, '.cache', 'tcss', 'node-compile-cache')}`);
    expect(await modeOf(join(c, '.cache', 'tcss'))).toBe(0o700);
    // A symbolic link in its place (to a folder someone else chose) is not followed: no compile cache at all.
    const d = join(home.dir, 'user-d');
    await mkdir(join(d, 'elsewhere'), { recursive: true });
    await mkdir(join(d, '.cache'));
    await symlink(join(d, 'elsewhere'), join(d, '.cache', 'tcss'), 'dir');
    expect(await run(d)).toBe('');
    // NODE_DISABLE_COMPILE_CACHE=1: none, and no folder made.
    const e = join(home.dir, 'user-e');
    await mkdir(e);
    expect(await run(e, { NODE_DISABLE_COMPILE_CACHE: '1' })).toBe('');
    await expect(stat(join(e, '.cache'))).rejects.toMatchObject({ code: 'ENOENT' });
    // Nothing in any of these runs went to the temporary folder.
    for (const user of [a, b, c, d, e]) await expect(stat(join(user, 'tmp'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('the Node that built dist/ takes the cache the build recorded', async () => {
    expect(await cacheState(BIN)).toBe('used');
  });

  it('a cache from another build, for another script text, damaged, or from another V8 is not offered; one from other V8 flags is refused; the CLI answers the same', async () => {
    const reference = await transcript(BIN);
    expect(reference[1]).toMatch(/^\$ tcss image-scan set --scan-time 25:00\n2\n/);
    expect(reference[3]).toMatch(/^\$ tcss image-scan set .*\n0\n<request-id>\n/);
    expect(reference[2]).toContain('X-TC-Region: ap-singapore');
    expect(reference[4]).toContain('"ScanTime": "02:30');
    expect(reference[5]).toMatch(/^\$ tcss image-scan diff -f policy.yaml .*\n5\n/);

    const other = await copyInstall('other-build');
    const bytes = await readFile(other.cache);
    // Another build's name on the same V8 data: the name no longer matches dist/tcss.cjs's first line.
    await writeFile(other.cache, Buffer.concat([Buffer.from('// tcss build 0000\n'), bytes.subarray(bytes.indexOf(10) + 1)]));
    expect(await cacheState(other.bin)).toBe('none');
    expect(await transcript(other.bin)).toEqual(reference);

    // A cache whose bytes were damaged is not offered: V8 does not check them, and could crash on them.
    const damaged = await copyInstall('damaged-cache');
    const spoiled = Buffer.from(bytes);
    for (let i = spoiled.length - 4096; i < spoiled.length; i += 7) spoiled[i] = spoiled[i]! ^ 0x5a;
    await writeFile(damaged.cache, spoiled);
    expect(await cacheState(damaged.bin)).toBe('none');
    expect(await transcript(damaged.bin)).toEqual(reference);

    // An edit to the script that keeps its length and first line: V8 would take the cache and run the old code.
    const edited = await copyInstall('edited-script');
    const script = join(edited.bin, '..', '..', 'dist', 'tcss.cjs');
    const text = await readFile(script, 'utf8');
    expect(text).toContain('dry run: nothing was sent');
    await writeFile(script, text.replaceAll('dry run: nothing was sent', 'DRY RUN: NOTHING WAS SENT'));
    expect(await cacheState(edited.bin)).toBe('none');
    const dry = await execa('node', [edited.bin, 'image-scan', 'set', '--enable', '--scan-time', '01:00', '--dry-run'], {
      env: cleanEnv(home.dir),
      extendEnv: false,
      cwd: home.dir,
    });
    expect(dry.stderr).toContain('DRY RUN: NOTHING WAS SENT');

    // A cache recorded by another V8 (another Node) is not offered either: the script is required as a module.
    const otherV8 = await copyInstall('other-v8');
    const lines = bytes.toString('latin1').split('\n', 2);
    expect(lines[1]).toBe(`v8 ${process.versions.v8}`);
    await writeFile(otherV8.cache, Buffer.from(bytes.toString('latin1').replace(lines[1]!, 'v8 1.2.3'), 'latin1'));
    expect(await cacheState(otherV8.bin)).toBe('none');
    expect(await transcript(otherV8.bin)).toEqual(reference);

    // V8 stamps a cache with its version and flags; a heap limit set for Node (often in NODE_OPTIONS) differs.
    const flags = ['--max-old-space-size=512'];
    expect(await cacheState(BIN, flags)).toBe('rejected');
    expect(await transcript(BIN, flags)).toEqual(reference);
  });

  it('stack traces name the script tcss/dist/tcss.cjs, wherever it is installed, at its own lines and columns', async () => {
    const result = await execa('node', [BIN, 'image-scan', 'get', '--endpoint', 'http://127.0.0.1:1/', '--retries', '0', '--debug'], {
      env: cleanEnv(home.dir, { TENCENTCLOUD_SECRET_ID: ACCOUNT_A.secretId, TENCENTCLOUD_SECRET_KEY: ACCOUNT_A.secretKey }),
      extendEnv: false,
      cwd: home.dir,
      reject: false,
    });
    expect(result.exitCode).toBe(4);
    expect(await cacheState(BIN)).toBe('used');
    const frame = /at toNetworkError \(tcss\/dist\/tcss\.cjs:(\d+):(\d+)\)/.exec(result.stderr);
    expect(frame, result.stderr).not.toBeNull();
    expect(result.stderr).not.toContain(join(ROOT, 'dist'));
    const line = (await readFile(join(ROOT, 'dist', 'tcss.cjs'), 'utf8')).split('\n')[Number(frame![1]) - 1]!;
    expect(line.slice(Number(frame![2]) - 1)).toMatch(/^new NetworkError\("Network\.Refused"/);
  });

  it('a command that stops without finishing, or fails outside the error handling, exits 1 with one line', async () => {
    // Stand-ins for dist/tcss.cjs: no real command does either, but the exit code must not say success.
    for (const [name, script, message] of [
      [
        'stalls',
        'module.exports = { run: () => new Promise(() => {}) };\n',
        'Error [Internal]: tcss stopped before the command finished; nothing more will happen. Please report it.',
      ],
      ['throws', "module.exports = { run: async () => { throw new Error('boom\\nsecond line'); } };\n", 'Error [Internal]: boom'],
    ] as const) {
      const install = await copyInstall(`bad-script-${name}`);
      await writeFile(join(install.bin, '..', '..', 'dist', 'tcss.cjs'), script);
      const result = await execa('node', [install.bin, 'image-scan', 'get'], { env: cleanEnv(home.dir), extendEnv: false, cwd: home.dir, reject: false });
      expect(result.exitCode).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(message);
    }
  });
});
