/**
 * Guards the cause of tcss's start-up time, not the time itself (docs/performance.md): the paths that must be
 * fast do not load the heavy modules. The built binary runs with a module recorder preloaded
 * (test/helpers/module-recorder.cjs): it logs the files and built-ins the process requires and, through V8's
 * coverage, which modules of dist/tcss.cjs ran (test/helpers/loaded-modules.ts). A static import of
 * @inquirer/prompts, js-yaml, the emulator, undici's root or cosmiconfig on one of these paths makes its
 * vendor bundle, package file or source show up here, on any machine.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/types.js';
import { makeTempHome, type TempHome } from '../helpers/cli.js';
import { startApiPeer } from '../helpers/api-peer.js';
import { startConnectProxy } from '../helpers/connect-proxy.js';
import { makeTestCa } from '../helpers/test-ca.js';
import { ACCOUNT_A, startTestEmulator } from '../helpers/emulator-client.js';
import { functionAt, recordRun as record, scriptText, type Recorded } from '../helpers/loaded-modules.js';

/** Sources (paths relative to the project) by the module groups the budget is about. */
const GROUPS = {
  prompts: /^(node_modules\/@inquirer\/|dist\/vendor\/prompts\.cjs$)/,
  emulator: /^src\/emulator\//,
  yaml: /^(node_modules\/js-yaml\/|dist\/vendor\/js-yaml\.cjs$)/,
  undici: /^(node_modules\/undici\/|dist\/vendor\/(undici-fetch-body|llhttp-wasm)\.cjs$)/,
  /** undici's ProxyAgent: only through a proxy. */
  proxyAgent: /^node_modules\/undici\/lib\/dispatcher\/proxy-agent\.js$/,
  /** undici's package root: fetch, WebSocket, cache and mock layers the transport does not use. */
  undiciRoot: /^node_modules\/undici\/(index\.js|lib\/web\/fetch\/index\.js)$/,
  /** undici's fetch, FormData and WebSocket code, in the main script or its own bundle. */
  undiciWeb: /^(node_modules\/undici\/lib\/web\/|dist\/vendor\/undici-fetch-body\.cjs$)/,
  cosmiconfig: /^(node_modules\/cosmiconfig\/|dist\/vendor\/cosmiconfig\.cjs$)/,
  commander: /^node_modules\/commander\//,
  chalk: /^node_modules\/chalk\//,
  /** Node's HTTP/2 client (and the TLS it loads): tcss bundles an HTTP/1.1-only undici. */
  http2: /^node:(http2|tls)$/,
  /** Node's HTTP clients. */
  network: /^node:(http|https|http2|tls)$/,
  /**
   * Built-ins the API paths do without: node:perf_hooks (behind the global `performance`), node:fs/promises
   * (it loads readline), node:tty (chalk looks at the terminal with it; loaded only when colour is on), and
   * node:os (chalk's too; the home directory comes from HOME).
   */
  slowBuiltins: /^node:(perf_hooks|fs\/promises|readline|tty|os)$/,
  /**
   * Built-ins a request needs no part of: Node's own HTTP stack (undici parses with llhttp), node:assert (its
   * assert() is given to undici by the build), node:zlib (the code cache's checksums are checked once).
   */
  notForRequests: /^node:(http|assert|zlib)$/,
  /** Lazy process getters that cost milliseconds: opening fd 0 as a stream, and the table of Node flags. */
  processGetters: /^process\.(stdin|allowedNodeEnvironmentFlags)$/,
} as const;
type Group = keyof typeof GROUPS;

let home: TempHome;
let emulator: Emulator;

beforeAll(async () => {
  home = await makeTempHome();
  emulator = await startTestEmulator();
  // The first run in a home checks the code cache's checksums (loading node:zlib) and notes them; the runs
  // recorded below are the ones after it, as most runs are.
  expect((await recordRun(['--no-color', '--version'])).sources).toContain('node:zlib');
});
afterAll(async () => {
  await emulator?.close();
  await home?.cleanup();
});

function recordRun(args: string[], env: Record<string, string> = {}, cwd = home.dir): Promise<Recorded> {
  return record(args, { home: home.dir, cwd, env });
}

function loadedGroups(run: Recorded): Group[] {
  return (Object.keys(GROUPS) as Group[]).filter((group) => [...run.sources].some((s) => GROUPS[group].test(s)));
}

function expectNone(run: Recorded, groups: Group[]): void {
  const offending = [...run.sources].filter((s) => groups.some((g) => GROUPS[g].test(s)));
  expect(offending).toEqual([]);
}

const apiEnv = (): Record<string, string> => ({ TENCENTCLOUD_SECRET_ID: ACCOUNT_A.secretId, TENCENTCLOUD_SECRET_KEY: ACCOUNT_A.secretKey });
// --replace: one request, as before plain set read the account first (the read loads nothing more).
const setArgs = (): string[] => ['image-scan', 'set', '--replace', '--enable', '--scan-time', '01:00', '--endpoint', emulator.url];

describe('start-up: what each fast path loads', () => {
  it('the recorder sees the script, the modules it runs on load and on demand, and packages required at run time', async () => {
    // A YAML config is the one path that needs js-yaml: it is required then, and the recorder must see it,
    // or the absence checks below would prove nothing.
    await home.file('work/.tcssrc.yaml', 'region: ap-guangzhou\n');
    const run = await recordRun([...setArgs(), '--dry-run'], apiEnv(), join(home.dir, 'work'));
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('X-TC-Region: ap-guangzhou');
    expect(run.sources).toContain('bin/tcss.js');
    expect(run.sources).toContain('dist/tcss.cjs');
    // A module the script runs as it loads, and one it runs on demand.
    expect(run.sources).toContain('src/cli.ts');
    expect(run.sources).toContain('src/cli/commands/image-scan-set.ts');
    expect(run.sources).not.toContain('src/cli/commands/image-scan-get.ts');
    expect(loadedGroups(run)).toEqual(expect.arrayContaining(['yaml', 'cosmiconfig', 'commander']));
    expect(loadedGroups(run)).not.toContain('emulator');
  });

  it('colour loads chalk and node:tty, and the recorder sees both', async () => {
    const run = await recordRun([...setArgs(), '--dry-run'], { ...apiEnv(), FORCE_COLOR: '1', NO_COLOR: '' });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain('\u001b[2m');
    expect(loadedGroups(run)).toEqual(expect.arrayContaining(['chalk', 'slowBuiltins']));
    expect(run.sources).toContain('node:tty');
  });

  it('the recorder sees the emulator\'s modules when the emulator command runs', async () => {
    // No key for the SecretId: the command stops with a usage error after its modules have loaded.
    const run = await recordRun(['emulator', '--port', '0', '--secret-id', 'AKIDrecorder']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('--secret-key');
    expect(loadedGroups(run)).toContain('emulator');
    expect(loadedGroups(run)).not.toContain('prompts');
  });

  it('--version and --help into a pipe load no CLI code at all: bin/tcss.js answers them', async () => {
    for (const args of [['--version'], ['-V'], ['--help'], ['-h']]) {
      const run = await recordRun(args);
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toMatch(args[0]!.startsWith('--v') || args[0] === '-V' ? /^\d+\.\d+\.\d+\n$/ : /^Usage: tcss/);
      expect([...run.sources].filter((s) => /^(src|node_modules|dist)\//.test(s))).toEqual([]);
      expect(loadedGroups(run)).toEqual([]);
    }
  });

  it('command help loads commander, and not the prompts, YAML, the emulator, undici or cosmiconfig', async () => {
    for (const args of [['image-scan', 'set', '--help'], ['--no-color', '--help']]) {
      const run = await recordRun(args);
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toContain('Usage: tcss');
      expectNone(run, ['prompts', 'yaml', 'emulator', 'undici', 'cosmiconfig', 'network', 'processGetters']);
      expect(loadedGroups(run)).toContain('commander');
    }
  });

  it('completion scripts and the profile lookup at Tab load none of the prompts, YAML, the emulator, undici or cosmiconfig', async () => {
    await home.file('.tccli/startup.credential', '{"secretId":"AKIDstartup","secretKey":"startupKey"}');
    for (const [args, out] of [
      [['completion', 'bash'], /complete -F _tcss tcss/],
      [['completion', '--profiles'], /^startup\n$/m],
    ] as const) {
      const run = await recordRun([...args]);
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toMatch(out);
      expect(run.sources).toContain('src/cli/completion.ts');
      expectNone(run, ['prompts', 'yaml', 'emulator', 'undici', 'cosmiconfig', 'network', 'processGetters', 'chalk']);
    }
  });

  it('image-scan set --dry-run without a config file loads neither cosmiconfig, the prompts, YAML, the emulator nor undici', async () => {
    const run = await recordRun([...setArgs(), '--dry-run'], apiEnv());
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('CreateAssetImageScanSetting');
    expectNone(run, ['prompts', 'yaml', 'emulator', 'undici', 'network', 'processGetters', 'cosmiconfig', 'chalk', 'slowBuiltins']);
    expect(run.sources).toContain('src/core/config/presence.ts');
  });

  it('with a JSON config file, cosmiconfig loads it (and YAML stays unloaded)', async () => {
    await home.file('json-work/.tcssrc.json', '{"region":"ap-singapore"}');
    const run = await recordRun([...setArgs(), '--dry-run'], apiEnv(), join(home.dir, 'json-work'));
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('X-TC-Region: ap-singapore');
    expect(loadedGroups(run)).toContain('cosmiconfig');
    expectNone(run, ['prompts', 'yaml', 'emulator', 'undici']);
  });

  it('image-scan set and get load only the parts of undici they use, and not the prompts, YAML or the emulator', async () => {
    for (const args of [setArgs(), ['image-scan', 'get', '--endpoint', emulator.url]]) {
      const run = await recordRun(args, apiEnv());
      expect(run.stderr).toBe('');
      expect(run.exitCode).toBe(0);
      expectNone(run, ['prompts', 'yaml', 'emulator', 'undiciRoot', 'undiciWeb', 'proxyAgent', 'http2', 'processGetters', 'cosmiconfig', 'chalk', 'slowBuiltins', 'notForRequests']);
      expect(run.sources).toContain('node_modules/undici/lib/dispatcher/client.js');
      expect(run.sources).toContain('node:net');
      // Header names are lower-cased as they come: undici's trie of well-known names is not even bundled.
      expect(run.sources).not.toContain('node_modules/undici/lib/core/tree.js');
    }
    expect(emulator.requests.map((r) => [r.action, r.status])).toEqual([
      ['CreateAssetImageScanSetting', 200],
      ['DescribeAssetImageScanSetting', 200],
    ]);
  });

  it('the first connection has llhttp parse a made-up answer to its end, once, while the request is on its way', async () => {
    // scripts/build.js adds warmUpParser to undici's HTTP/1.1 client: V8 compiles the parser at its first call,
    // which then happens before the real answer arrives. Its stand-in's last callback is a function of its own.
    const code = await scriptText();
    const madeUp = code.indexOf('HTTP/1.1 200 OK\\r\\nContent-Type: application/json');
    expect(madeUp).toBeGreaterThan(0);
    const callbackText = 'onMessageComplete:()=>0';
    const completes = code.indexOf(callbackText, madeUp);
    expect(completes).toBeGreaterThan(madeUp);
    const counts = (run: Recorded) => {
      const warmUp = functionAt(run.functions, madeUp);
      const callback = run.functions.find((fn) => fn.start > completes && fn.start < completes + callbackText.length);
      return { warmUp: warmUp?.count, completed: callback?.count, inside: warmUp !== undefined && callback !== undefined && callback.start > warmUp.start && callback.end <= warmUp.end };
    };
    const sent = await recordRun(setArgs(), apiEnv());
    expect(sent.exitCode).toBe(0);
    expect(counts(sent)).toEqual({ warmUp: 1, completed: 1, inside: true });
    // A dry run connects to nothing: no parser, no warm-up (and its callback is never even compiled).
    const dry = await recordRun([...setArgs(), '--dry-run'], apiEnv());
    expect(dry.exitCode).toBe(0);
    expect(counts(dry).warmUp).toBe(0);
    expect(counts(dry).completed ?? 0).toBe(0);
  });

  it('through a proxy, undici\'s ProxyAgent comes from its own files, not the package root', async () => {
    // Loopback traffic never goes through a proxy: the API stands behind tcss.test, which the proxy tunnels to 127.0.0.1.
    const ca = await makeTestCa();
    const peer = await startApiPeer({ tls: await ca.leaf({ altNames: 'DNS:tcss.test' }) });
    const proxy = await startConnectProxy();
    try {
      const run = await recordRun(['image-scan', 'get', '--endpoint', `https://tcss.test:${peer.port}`, '--proxy', proxy.url], { ...apiEnv(), NODE_EXTRA_CA_CERTS: ca.caPath });
      expect(run.stderr).toBe('');
      expect(run.exitCode).toBe(0);
      expect(proxy.connects).toHaveLength(1);
      expect(peer.requests).toHaveLength(1);
      expect(run.sources).toContain('node_modules/undici/lib/dispatcher/proxy-agent.js');
      expectNone(run, ['prompts', 'yaml', 'emulator', 'undiciRoot', 'undiciWeb', 'processGetters', 'cosmiconfig', 'notForRequests']);
    } finally {
      await proxy.close();
      await peer.close();
      await ca.cleanup();
    }
  });

  it('without WebAssembly SIMD, undici\'s other llhttp build is required from its own bundle and works', async () => {
    emulator.resetRequests();
    const run = await recordRun(['image-scan', 'get', '--endpoint', emulator.url], { ...apiEnv(), UNDICI_NO_WASM_SIMD: '1' });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('RequestId');
    expect(run.sources).toContain('dist/vendor/llhttp-wasm.cjs');
    expect(emulator.requests.map((r) => [r.action, r.status])).toEqual([['DescribeAssetImageScanSetting', 200]]);
  });
});
