/**
 * The start-up shortcuts behave exactly like the long way round: `tcss --version` and `tcss --help` answered
 * by bin/tcss.js print what commander prints, and dist/tcss.cjs does the same with V8's code cache, without
 * it, and with a cache that does not fit (docs/performance.md).
 */
import { execa } from 'execa';
import { chmod, chown, cp, mkdir, readdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/types.js';
import { BIN, ROOT, cleanEnv, makeTempHome, runTcss, type TempHome } from '../helpers/cli.js';
import { ACCOUNT_A, ACCOUNT_T, startTestEmulator } from '../helpers/emulator-client.js';

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

/**
 * What `loadCli()` of the bin/tcss.js at `bin` says of the code cache (`used package`, `none`, …), in a fresh
 * Node started as the command is (a script file, no -e: tcss keys its own cache on Node's options).
 */
async function cacheState(bin: string, options: { nodeFlags?: string[]; userHome?: string; env?: Record<string, string> } = {}): Promise<string> {
  const probe = join(home.dir, 'cache-state.cjs');
  await writeFile(probe, `const c = require(process.argv[2]).loadCli(); process.stdout.write(c.cache + (c.from ? ' ' + c.from : ''));\n`);
  const result = await execa('node', [...(options.nodeFlags ?? []), probe, bin], {
    env: cleanEnv(options.userHome ?? home.dir, options.env),
    extendEnv: false,
    cwd: home.dir,
  });
  return result.stdout;
}

/** A copy of bin/ and dist/ whose cache can be spoiled; no node_modules: the package needs none. */
async function copyInstall(name: string): Promise<{ bin: string; cache: string; script: string }> {
  const dir = join(home.dir, name);
  await mkdir(dir, { recursive: true });
  await cp(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
  await cp(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
  return { bin: join(dir, 'bin', 'tcss.js'), cache: join(dir, 'dist', 'tcss.cjs.cache'), script: join(dir, 'dist', 'tcss.cjs') };
}

/** A copy whose package cache says it was recorded by another V8: what an install run by another Node sees. */
async function otherNodeInstall(name: string): Promise<{ bin: string; cache: string; script: string }> {
  const install = await copyInstall(name);
  const text = (await readFile(install.cache)).toString('latin1');
  const v8Line = text.split('\n', 2)[1]!;
  expect(v8Line).toBe(`v8 ${process.versions.v8}`);
  await writeFile(install.cache, Buffer.from(text.replace(v8Line, 'v8 1.2.3'), 'latin1'));
  return install;
}

/** A fresh user home for one test: its own cache folder. */
async function userHome(name: string): Promise<string> {
  const dir = join(home.dir, 'users', name);
  await mkdir(dir, { recursive: true });
  return dir;
}

/** A few runs whose output shows the CLI at work: help, a usage error, a dry run and a real call. */
async function transcript(bin: string, nodeFlags: string[] = [], user = home.dir): Promise<string[]> {
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
    const result = await execa('node', [...nodeFlags, bin, ...args], { env: cleanEnv(user, keys), extendEnv: false, cwd: project, reject: false });
    const text = `${result.exitCode}\n${result.stdout}\n${result.stderr}`
      .replace(/X-TC-Timestamp: \d+/g, 'X-TC-Timestamp: <t>')
      .replace(/\d{4}-\d\d-\d\d\/tcss/g, '<date>/tcss')
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<request-id>');
    lines.push(`$ tcss ${args.join(' ')}\n${text}`);
  }
  return lines;
}

/** The name of tcss's own cache for the script of `install`, this V8 and Node's options (any). */
async function ownCacheName(script: string): Promise<RegExp> {
  const build = (await readFile(script, 'latin1')).slice(14, 30);
  return new RegExp(`^v8-${build}-${process.versions.v8.replace(/[.]/g, '\\.')}-[0-9a-f]{8}\\.cache$`);
}

/** The code caches tcss recorded in a user's cache folder, by name. */
async function userCaches(user: string, folder = join(user, '.cache', 'tcss')): Promise<string[]> {
  try {
    return (await readdir(folder)).filter((name) => name.endsWith('.cache')).sort();
  } catch {
    return [];
  }
}

/** The third header line of a code cache: `crc32 <script> <cache> <kind>`. */
async function cacheKind(file: string): Promise<string> {
  return (await readFile(file, 'latin1')).split('\n', 3)[2]!.split(' ')[3]!;
}

describe('bin/tcss.js and the code cache', () => {
  it('turns on Node\'s compile cache only for the bundles in dist/vendor/, when one is required', async () => {
    // Node 20 has no module.enableCompileCache; this preload supplies one that records the call, so the branch
    // in bin/tcss.js runs the way Node >= 22.1 runs it.
    const preload = join(home.dir, 'fake-compile-cache.cjs');
    await writeFile(preload, "require('node:module').enableCompileCache = (dir) => { require('node:fs').writeSync(2, `compile cache in ${dir}\\n`); return { status: 0 }; };\n");
    const project = join(home.dir, 'vendor-project');
    await mkdir(join(project, '.git'), { recursive: true });
    await writeFile(join(project, '.tcssrc.json'), '{"region":"ap-singapore"}');
    const user = await userHome('compile-cache');
    const run = async (args: string[], cwd: string) => {
      const result = await execa('node', ['--require', preload, BIN, ...args], { env: cleanEnv(user), extendEnv: false, cwd, reject: false });
      expect(result.exitCode).toBe(0);
      return result.stderr.split('\n').filter((line) => line.startsWith('compile cache'));
    };
    const dryRun = ['image-scan', 'set', '--replace', '--enable', '--scan-time', '01:00', '--dry-run'];
    // A config file to read: cosmiconfig comes from dist/vendor/, with Node's compile cache in the user's folder.
    expect(await run(dryRun, project)).toEqual([`compile cache in ${join(user, '.cache', 'tcss', 'node-compile-cache')}`]);
    // No vendor bundle on the path: no compile cache.
    expect(await run(['--no-color', '--version'], home.dir)).toEqual([]);
  });

  it('keeps what it caches in the user\'s own cache folder, created 0700, never under the shared tmpdir', async () => {
    // A Node the package's cache does not fit: tcss records its own, in the folder, after the command.
    const install = await otherNodeInstall('folder-checks');
    const run = async (user: string, env: Record<string, string | undefined> = {}): Promise<string[]> => {
      const result = await execa('node', [install.bin, 'image-scan', 'set', '--replace', '--enable', '--scan-time', '01:00', '--dry-run'], {
        env: cleanEnv(user, { TMPDIR: join(user, 'tmp'), ...env }),
        extendEnv: false,
        cwd: user,
        reject: false,
      });
      expect(result.exitCode).toBe(0);
      expect(result.stderr).toContain('dry run: nothing was sent');
      return userCaches(user, env.XDG_CACHE_HOME?.startsWith('/') ? join(env.XDG_CACHE_HOME, 'tcss') : undefined);
    };
    const modeOf = async (path: string): Promise<number> => (await stat(path)).mode & 0o777;
    const recorded = await ownCacheName(install.script);
    const one = (names: string[]): string => {
      expect(names).toHaveLength(1);
      expect(names[0]).toMatch(recorded);
      return names[0]!;
    };

    // $XDG_CACHE_HOME/tcss, made 0700 (and $XDG_CACHE_HOME itself, inside a folder of this user's); the files 0600.
    const a = await userHome('folder-a');
    await mkdir(join(a, 'xdg'));
    const xdg = join(a, 'xdg', 'cache');
    const name = one(await run(a, { XDG_CACHE_HOME: xdg }));
    expect((await readdir(join(xdg, 'tcss'))).sort()).toEqual([name, 'verified']);
    expect(await modeOf(xdg)).toBe(0o700);
    expect(await modeOf(join(xdg, 'tcss'))).toBe(0o700);
    expect(await modeOf(join(xdg, 'tcss', name))).toBe(0o600);
    expect(await modeOf(join(xdg, 'tcss', 'verified'))).toBe(0o600);
    // Without it, or with a relative one (the XDG spec says to ignore it), ~/.cache/tcss.
    const b = await userHome('folder-b');
    one(await run(b));
    expect(await modeOf(join(b, '.cache', 'tcss'))).toBe(0o700);
    const b2 = await userHome('folder-b2');
    one(await run(b2, { XDG_CACHE_HOME: 'relative/cache' }));
    // An existing folder that others could read or write is narrowed to 0700 first.
    const c = await userHome('folder-c');
    await mkdir(join(c, '.cache', 'tcss'), { recursive: true });
    await chmod(join(c, '.cache', 'tcss'), 0o777);
    one(await run(c));
    expect(await modeOf(join(c, '.cache', 'tcss'))).toBe(0o700);
    // A home that does not exist is not made, nor anything above it.
    const goneBase = await userHome('folder-gone');
    const gone = join(goneBase, 'no', 'such', 'home');
    expect(await run(goneBase, { HOME: gone })).toEqual([]);
    expect(await readdir(goneBase)).toEqual([]);
    // A symbolic link in its place (to a folder someone else chose) is not followed: nothing kept at all.
    const d = await userHome('folder-d');
    await mkdir(join(d, 'elsewhere'));
    await mkdir(join(d, '.cache'));
    await symlink(join(d, 'elsewhere'), join(d, '.cache', 'tcss'), 'dir');
    await run(d);
    expect(await readdir(join(d, 'elsewhere'))).toEqual([]);
    // NODE_DISABLE_COMPILE_CACHE=1: nothing kept, and no folder made.
    const e = await userHome('folder-e');
    expect(await run(e, { NODE_DISABLE_COMPILE_CACHE: '1' })).toEqual([]);
    await expect(stat(join(e, '.cache'))).rejects.toMatchObject({ code: 'ENOENT' });
    // Nothing in any of these runs went to the temporary folder.
    for (const user of [a, b, b2, c, d, e]) await expect(stat(join(user, 'tmp'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('the Node that built dist/ takes the cache the build recorded', async () => {
    expect(await cacheState(BIN)).toBe('used package');
    expect(await cacheKind(join(ROOT, 'dist', 'tcss.cjs.cache'))).toBe('network');
  });

  it('a cache from another build, for another script text, damaged, or from another V8 is not offered; one from other V8 flags is refused; the CLI answers the same', async () => {
    const reference = await transcript(BIN);
    expect(reference[1]).toMatch(/^\$ tcss image-scan set --scan-time 25:00\n2\n/);
    expect(reference[3]).toMatch(/^\$ tcss image-scan set .*\n0\n<request-id>\n/);
    expect(reference[2]).toContain('X-TC-Region: ap-singapore');
    expect(reference[4]).toContain('"ScanTime": "02:30');
    expect(reference[5]).toMatch(/^\$ tcss image-scan diff -f policy.yaml .*\n5\n/);
    // Each copy below runs in a home of its own, with no cache folder (NODE_DISABLE_COMPILE_CACHE): only the
    // package's cache is in question, its checksums checked at every start.
    const noUserCache = { NODE_DISABLE_COMPILE_CACHE: '1' };

    const other = await copyInstall('other-build');
    const bytes = await readFile(other.cache);
    // Another build's name on the same V8 data: the name no longer matches dist/tcss.cjs's first line.
    await writeFile(other.cache, Buffer.concat([Buffer.from('// tcss build 0000\n'), bytes.subarray(bytes.indexOf(10) + 1)]));
    expect(await cacheState(other.bin, { env: noUserCache })).toBe('none');
    expect(await transcript(other.bin, [], await userHome('other-build'))).toEqual(reference);

    // A cache whose bytes were damaged is not offered: V8 does not check them, and could crash on them.
    const damaged = await copyInstall('damaged-cache');
    const spoiled = Buffer.from(bytes);
    for (let i = spoiled.length - 4096; i < spoiled.length; i += 7) spoiled[i] = spoiled[i]! ^ 0x5a;
    await writeFile(damaged.cache, spoiled);
    expect(await cacheState(damaged.bin, { env: noUserCache })).toBe('none');
    expect(await transcript(damaged.bin, [], await userHome('damaged-cache'))).toEqual(reference);

    // An edit to the script that keeps its length and first line: V8 would take the cache and run the old code.
    const edited = await copyInstall('edited-script');
    const text = await readFile(edited.script, 'utf8');
    expect(text).toContain('dry run: nothing was sent');
    await writeFile(edited.script, text.replaceAll('dry run: nothing was sent', 'DRY RUN: NOTHING WAS SENT'));
    expect(await cacheState(edited.bin, { env: noUserCache })).toBe('none');
    const dry = await execa('node', [edited.bin, 'image-scan', 'set', '--enable', '--scan-time', '01:00', '--dry-run'], {
      env: cleanEnv(await userHome('edited-script')),
      extendEnv: false,
      cwd: home.dir,
    });
    expect(dry.stderr).toContain('DRY RUN: NOTHING WAS SENT');

    // A cache recorded by another V8 (another Node) is not offered either.
    const otherV8 = await otherNodeInstall('other-v8');
    expect(await cacheState(otherV8.bin, { env: noUserCache })).toBe('none');
    expect(await transcript(otherV8.bin, [], await userHome('other-v8'))).toEqual(reference);

    // V8 stamps a cache with its version and flags; a heap limit set for Node (often in NODE_OPTIONS) differs.
    const flags = ['--max-old-space-size=512'];
    expect(await cacheState(BIN, { nodeFlags: flags, env: noUserCache })).toBe('rejected package');
    expect(await transcript(BIN, flags, await userHome('other-flags'))).toEqual(reference);
  });

  it('checks a cache\'s checksums once, and again after either file changes', async () => {
    const install = await copyInstall('verified-once');
    const user = await userHome('verified-once');
    const verified = join(user, '.cache', 'tcss', 'verified');
    expect(await cacheState(install.bin, { userHome: user })).toBe('used package');
    const pairs = (await readFile(verified, 'latin1')).split('\n').filter(Boolean);
    expect(pairs).toHaveLength(1);
    // Verified: the next start takes it without checking again (the file is not written again).
    const written = (await stat(verified)).mtimeMs;
    expect(await cacheState(install.bin, { userHome: user })).toBe('used package');
    expect((await stat(verified)).mtimeMs).toBe(written);
    // The cache damaged in place after it was verified: its identity changed, so its checksum is checked again.
    const bytes = await readFile(install.cache);
    const spoiled = Buffer.from(bytes);
    for (let i = spoiled.length - 4096; i < spoiled.length; i += 7) spoiled[i] = spoiled[i]! ^ 0x5a;
    await writeFile(install.cache, spoiled);
    expect(await cacheState(install.bin, { userHome: user })).toBe('none');
    // Put back, then the script edited in place (same length, same first line): not offered.
    await writeFile(install.cache, bytes);
    expect(await cacheState(install.bin, { userHome: user })).toBe('used package');
    const text = await readFile(install.script, 'utf8');
    await writeFile(install.script, text.replaceAll('dry run: nothing was sent', 'DRY RUN: NOTHING WAS SENT'));
    expect(await cacheState(install.bin, { userHome: user })).toBe('none');
  });

  it('where the package\'s cache does not fit, records its own after a command, once, and takes it from then on', async () => {
    const install = await otherNodeInstall('own-cache');
    const user = await userHome('own-cache');
    const keys = { TENCENTCLOUD_SECRET_ID: ACCOUNT_T.secretId, TENCENTCLOUD_SECRET_KEY: ACCOUNT_T.secretKey, TENCENTCLOUD_SESSION_TOKEN: ACCOUNT_T.token };
    const run = async (args: string[]) => {
      const result = await execa('node', [install.bin, ...args], { env: cleanEnv(user, keys), extendEnv: false, cwd: user, reject: false });
      return result.exitCode;
    };
    expect(await cacheState(install.bin, { userHome: user })).toBe('none');
    expect(await userCaches(user)).toEqual([]);
    // A request refused (no answer) and a run that sends nothing record a cache without the network code ("local") ...
    expect(await run(['image-scan', 'get', '--endpoint', 'http://127.0.0.1:1', '--retries', '0'])).toBe(4);
    expect(await run(['image-scan', 'set', '--replace', '--enable', '--scan-time', '01:00', '--dry-run'])).toBe(0);
    const [name] = await userCaches(user);
    expect(name).toMatch(await ownCacheName(install.script));
    const file = join(user, '.cache', 'tcss', name!);
    expect(await cacheKind(file)).toBe('local');
    expect(await cacheState(install.bin, { userHome: user })).toBe('used user');
    // ... which the first run that has an answer records again, with it ("network") ...
    expect(await run(['image-scan', 'set', '--replace', '--enable', '--scan-time', '01:00', '--endpoint', emulator.url])).toBe(0);
    expect(await cacheKind(file)).toBe('network');
    const recorded = await stat(file);
    // ... and then it is kept as it is: later runs take it and record nothing.
    expect(await run(['image-scan', 'get', '--endpoint', emulator.url])).toBe(0);
    expect(await run(['image-scan', 'set', '--replace', '--enable', '--scan-time', '01:00', '--dry-run'])).toBe(0);
    expect((await stat(file)).mtimeMs).toBe(recorded.mtimeMs);
    expect(await cacheState(install.bin, { userHome: user })).toBe('used user');
    // Compiled code only: none of the run's keys is in what tcss wrote, in any encoding V8 keeps strings in.
    for (const written of [file, join(user, '.cache', 'tcss', 'verified')]) {
      const bytes = await readFile(written);
      for (const secret of [ACCOUNT_T.secretKey, ACCOUNT_T.token, ACCOUNT_T.secretId]) {
        expect(bytes.includes(Buffer.from(secret, 'latin1')), `${secret} in ${written}`).toBe(false);
        expect(bytes.includes(Buffer.from(secret, 'utf16le')), `${secret} in ${written}`).toBe(false);
      }
    }
  });

  it('a damaged cache of its own is not taken, and is recorded again; one that cannot be written costs nothing but the cache', async () => {
    const install = await otherNodeInstall('own-cache-damaged');
    const user = await userHome('own-cache-damaged');
    const keys = { TENCENTCLOUD_SECRET_ID: ACCOUNT_A.secretId, TENCENTCLOUD_SECRET_KEY: ACCOUNT_A.secretKey };
    const get = async () => (await execa('node', [install.bin, 'image-scan', 'get', '--endpoint', emulator.url], { env: cleanEnv(user, keys), extendEnv: false, cwd: user, reject: false })).exitCode;
    expect(await get()).toBe(0);
    const [name] = await userCaches(user);
    const file = join(user, '.cache', 'tcss', name!);
    const bytes = await readFile(file);
    const spoiled = Buffer.from(bytes);
    for (let i = spoiled.length - 4096; i < spoiled.length; i += 7) spoiled[i] = spoiled[i]! ^ 0x5a;
    await writeFile(file, spoiled);
    expect(await cacheState(install.bin, { userHome: user })).toBe('none');
    expect(await get()).toBe(0);
    expect(await cacheState(install.bin, { userHome: user })).toBe('used user');
    // A cache that cannot be written (a folder in its place, which even root cannot rename a file over): the
    // command runs and exits as usual, says nothing of it, and leaves nothing half-written behind.
    const blocked = await userHome('own-cache-blocked');
    await mkdir(join(blocked, '.cache', 'tcss', name!), { recursive: true, mode: 0o700 });
    const result = await execa('node', [install.bin, 'image-scan', 'get', '--endpoint', emulator.url], { env: cleanEnv(blocked, keys), extendEnv: false, cwd: blocked, reject: false });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    expect(await readdir(join(blocked, '.cache', 'tcss'))).toEqual([name!]);
    expect(await readdir(join(blocked, '.cache', 'tcss', name!))).toEqual([]);
  });

  it('keeps the newest eight caches of its own, and removes what a killed run left half-written', async () => {
    const install = await otherNodeInstall('own-cache-kept');
    const user = await userHome('own-cache-kept');
    const folder = join(user, '.cache', 'tcss');
    await mkdir(folder, { recursive: true, mode: 0o700 });
    // Caches of other builds, older than anything recorded now, and two temporary files: one old, one new.
    const old = Array.from({ length: 8 }, (_, i) => `v8-${String(i).repeat(16)}-1-00000000.cache`);
    for (const [i, name] of old.entries()) {
      await writeFile(join(folder, name), 'old', { mode: 0o600 });
      await utimes(join(folder, name), 1_000_000 + i, 1_000_000 + i);
    }
    await writeFile(join(folder, 'verified.123-abc.tmp'), 'left', { mode: 0o600 });
    await utimes(join(folder, 'verified.123-abc.tmp'), 1_000_000, 1_000_000);
    await writeFile(join(folder, 'verified.456-def.tmp'), 'being written', { mode: 0o600 });
    const result = await execa('node', [install.bin, 'image-scan', 'set', '--replace', '--enable', '--scan-time', '01:00', '--dry-run'], { env: cleanEnv(user), extendEnv: false, cwd: user, reject: false });
    expect(result.exitCode).toBe(0);
    const kept = await userCaches(user);
    expect(kept).toHaveLength(8);
    expect(kept).not.toContain(old[0]);
    expect(kept.filter((name) => (/^v8-\d{16}-1-/.test(name)))).toEqual(old.slice(1).sort());
    const names = await readdir(folder);
    expect(names).not.toContain('verified.123-abc.tmp');
    expect(names).toContain('verified.456-def.tmp');
  });

  it('never reads what it did not write itself in its folder: another user\'s file, a link, a FIFO, an oversized file', async () => {
    const install = await otherNodeInstall('hostile-folder');
    const keys = { TENCENTCLOUD_SECRET_ID: ACCOUNT_A.secretId, TENCENTCLOUD_SECRET_KEY: ACCOUNT_A.secretKey };
    const get = async (user: string) =>
      execa('node', [install.bin, 'image-scan', 'get', '--endpoint', emulator.url], { env: cleanEnv(user, keys), extendEnv: false, cwd: user, reject: false, timeout: 15_000 });
    // A good cache of tcss's own, recorded once, copied into each folder below in some hostile shape.
    const source = await userHome('hostile-source');
    expect((await get(source)).exitCode).toBe(0);
    const [name] = await userCaches(source);
    const good = await readFile(join(source, '.cache', 'tcss', name!));
    const shapes: Array<[string, (folder: string) => Promise<void>]> = [
      ['writable by others', async (folder) => writeFile(join(folder, name!), good, { mode: 0o666 }).then(() => chmod(join(folder, name!), 0o666))],
      // Another user's file, mode 0600 (as root, which can give a file away: CI runs as root).
      ...(process.getuid?.() === 0
        ? [['another user\'s', async (folder: string) => writeFile(join(folder, name!), good, { mode: 0o600 }).then(() => chown(join(folder, name!), 65534, 65534))] as [string, (folder: string) => Promise<void>]]
        : []),
      ['a symbolic link', async (folder) => {
        await writeFile(join(folder, 'elsewhere'), good, { mode: 0o600 });
        await symlink(join(folder, 'elsewhere'), join(folder, name!));
      }],
      ['a FIFO', async (folder) => void (await execa('mkfifo', [join(folder, name!)]))],
      ['a FIFO as the note', async (folder) => void (await execa('mkfifo', [join(folder, 'verified')]))],
      ['a link to /dev/zero as the note', async (folder) => symlink('/dev/zero', join(folder, 'verified'))],
      ['an oversized note', async (folder) => writeFile(join(folder, 'verified'), Buffer.alloc(64 * 1024, 10), { mode: 0o600 })],
    ];
    for (const [label, shape] of shapes) {
      const user = await userHome(`hostile-${label.replace(/\W+/g, '-')}`);
      const folder = join(user, '.cache', 'tcss');
      await mkdir(folder, { recursive: true, mode: 0o700 });
      await shape(folder);
      const state = await cacheState(install.bin, { userHome: user });
      expect(state, label).not.toBe('used user');
      const result = await get(user);
      expect(result.exitCode, label).toBe(0);
      expect(result.stderr, label).toBe('');
      expect(result.stdout, label).toContain('RequestId');
    }
  });

  it('--debug stack traces name the source files, lines and functions (the script is minified), never the install path', async () => {
    const result = await execa('node', [BIN, 'image-scan', 'get', '--endpoint', 'http://127.0.0.1:1/', '--retries', '0', '--debug'], {
      env: cleanEnv(home.dir, { TENCENTCLOUD_SECRET_ID: ACCOUNT_A.secretId, TENCENTCLOUD_SECRET_KEY: ACCOUNT_A.secretKey }),
      extendEnv: false,
      cwd: home.dir,
      reject: false,
    });
    expect(result.exitCode).toBe(4);
    expect(await cacheState(BIN)).toBe('used package');
    const frame = /at toNetworkError \(src\/core\/http\/transport\.ts:(\d+):(\d+)\)/.exec(result.stderr);
    expect(frame, result.stderr).not.toBeNull();
    const line = (await readFile(join(ROOT, 'src', 'core', 'http', 'transport.ts'), 'utf8')).split('\n')[Number(frame![1]) - 1]!;
    expect(line.slice(Number(frame![2]) - 1)).toMatch(/^new NetworkError\('Network\.Refused'/);
    // Its caller, and an async frame, by their own names too; Node's own frames as Node writes them.
    expect(result.stderr).toMatch(/at send \(src\/core\/http\/transport\.ts:\d+:\d+\)/);
    expect(result.stderr).toMatch(/at async callApi \(src\/core\/api\/client\.ts:\d+:\d+\)/);
    expect(result.stderr).toMatch(/at TCPConnectWrap\.afterConnect \[as oncomplete\] \(node:net:\d+:\d+\)/);
    expect(result.stderr).not.toContain('tcss/dist/tcss.cjs');
    expect(result.stderr).not.toContain(join(ROOT, 'dist'));
  });

  it('without its own build\'s source map, --debug stack traces are V8\'s, at the script\'s own lines and columns', async () => {
    for (const [label, spoil] of [
      ['missing', async (map: string) => rm(map)],
      ['another build', async (map: string) => writeFile(map, (await readFile(map, 'utf8')).replace(/"x_tcss_build":"[0-9a-f]+"/, `"x_tcss_build":"${'0'.repeat(64)}"`))],
      ['damaged', async (map: string) => writeFile(map, '{"version":3,')],
    ] as const) {
      const install = await copyInstall(`stack-map-${label.replace(/\W+/g, '-')}`);
      await spoil(`${install.script}.map`);
      const result = await execa('node', [install.bin, 'image-scan', 'get', '--endpoint', 'http://127.0.0.1:1/', '--retries', '0', '--debug'], {
        env: cleanEnv(home.dir, { TENCENTCLOUD_SECRET_ID: ACCOUNT_A.secretId, TENCENTCLOUD_SECRET_KEY: ACCOUNT_A.secretKey }),
        extendEnv: false,
        cwd: home.dir,
        reject: false,
      });
      expect(result.exitCode, label).toBe(4);
      const frame = /at \S+ \(tcss\/dist\/tcss\.cjs:(\d+):(\d+)\)/.exec(result.stderr);
      expect(frame, `${label}: ${result.stderr}`).not.toBeNull();
      const line = (await readFile(install.script, 'utf8')).split('\n')[Number(frame![1]) - 1]!;
      expect(line.slice(Number(frame![2]) - 1), label).toMatch(/^new [\w$]+\("Network\.Refused"/);
      expect(result.stderr, label).not.toContain(install.script);
    }
  });

  it('a command that stops without finishing, or fails outside the error handling, exits 1 with one line', async () => {
    // Stand-ins for dist/tcss.cjs (one function expression, as the build writes it): no real command does
    // either, but the exit code must not say success.
    for (const [name, script, message] of [
      [
        'stalls',
        '(function (require, module) { module.exports = { run: () => new Promise(() => {}) }; })\n',
        'Error [Internal]: tcss stopped before the command finished; nothing more will happen. Please report it.',
      ],
      ['throws', "(function (require, module) { module.exports = { run: async () => { throw new Error('boom\\nsecond line'); } }; })\n", 'Error [Internal]: boom'],
    ] as const) {
      const install = await copyInstall(`bad-script-${name}`);
      await writeFile(install.script, script);
      const result = await execa('node', [install.bin, 'image-scan', 'get'], { env: cleanEnv(home.dir), extendEnv: false, cwd: home.dir, reject: false });
      expect(result.exitCode).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(message);
    }
  });
});
