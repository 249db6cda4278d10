/**
 * Output that neither leaks nor lies, on the built binary: no 16-character piece of a known secret in any letter
 * case reaches any output; a host name holding a secret is refused before it is looked up.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, makeTempHome, runTcss, type TempHome } from '../helpers/cli.js';

let home: TempHome;
beforeEach(async () => {
  home = await makeTempHome();
});
afterEach(async () => {
  await home.cleanup();
});

const TOKEN = 'tOkEn0123456789AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfGhIjKlMnOpQrStUvWxYz0123456789ZZ';
const KEY = 'KeyAbCdEfGh0123456789IjKlMnOpQr';

/** Every 16-character piece of `secret` that shows in `text`, in any letter case. */
function piecesShown(text: string, secret: string): string[] {
  const haystack = text.toLowerCase();
  const found: string[] = [];
  for (let i = 0; i + 16 <= secret.length; i++) {
    const piece = secret.slice(i, i + 16).toLowerCase();
    if (haystack.includes(piece)) found.push(piece);
  }
  return found;
}

const ENV = { TENCENTCLOUD_SECRET_ID: 'AKIDoutputsafetytest000000000000', TENCENTCLOUD_SECRET_KEY: KEY, TENCENTCLOUD_SESSION_TOKEN: TOKEN };

describe('no piece of a known secret reaches any output', () => {
  const cases: Array<[string, string[]]> = [
    ['--scan-time', ['image-scan', 'set', '--enable', '--scan-time', TOKEN, '--dry-run']],
    ['--region', ['image-scan', 'set', '--enable', '--scan-time', '01:00', '--region', TOKEN, '--dry-run']],
    ['--profile', ['image-scan', 'get', '--profile', TOKEN]],
    ['--endpoint with a path', ['image-scan', 'get', '--endpoint', `https://example.com/${TOKEN}`]],
    ['--endpoint', ['image-scan', 'get', '--endpoint', `https://${KEY}.example.com:99999`]],
    ['--images', ['image-scan', 'set', '--enable', '--scan-time', '01:00', '--images', `a,${TOKEN}\u0001`, '--dry-run']],
    ['--timeout', ['image-scan', 'get', '--timeout', TOKEN]],
    ['--proxy', ['image-scan', 'get', '--proxy', `socks5://${TOKEN}`]],
  ];
  for (const [name, args] of cases) {
    it(`a token typed into ${name}: text and JSON errors, with --debug`, async () => {
      for (const extra of [[], ['--output', 'json'], ['--debug']]) {
        const result = await runTcss([...args, ...extra], { home: home.dir, env: ENV });
        expect(result.exitCode).toBe(2);
        const all = result.stdout + result.stderr;
        expect(piecesShown(all, TOKEN), all).toEqual([]);
        expect(piecesShown(all, KEY), all).toEqual([]);
      }
    });
  }

  it('a secret with quotes and backslashes, JSON-escaped in a JSON error', async () => {
    const odd = 'odd"Secret\\Key/0123456789abcdefXYZ';
    const result = await runTcss(['image-scan', 'set', '--enable', '--scan-time', odd, '--output', 'json'], {
      home: home.dir,
      env: { ...ENV, TENCENTCLOUD_SECRET_KEY: odd },
    });
    expect(result.exitCode).toBe(2);
    const all = result.stdout + result.stderr;
    expect(piecesShown(all, odd)).toEqual([]);
    expect(piecesShown(all, JSON.stringify(odd).slice(1, -1))).toEqual([]);
  });

  it('a tccli profile file with a byte-order mark still counts among the secrets to hide', async () => {
    const profileKey = 'bomProfileSecretKey0123456789abcd';
    await home.file('.tccli/default.credential', `\uFEFF${JSON.stringify({ secretId: 'AKIDbomprofile000000000000000000', secretKey: profileKey })}`);
    const result = await runTcss(['image-scan', 'set', '--enable', '--scan-time', profileKey, '--dry-run'], { home: home.dir });
    expect(result.exitCode).toBe(2);
    expect(piecesShown(result.stdout + result.stderr, profileKey)).toEqual([]);
  });
});

describe('a host name holding a known secret', () => {
  it('is refused before it is looked up: --endpoint, TCSS_ENDPOINT, --proxy, HTTPS_PROXY', async () => {
    const log = join(home.dir, 'dns.log');
    const dnsEnv = { NODE_OPTIONS: `--require ${join(ROOT, 'test/helpers/hostile-dns.cjs')}`, HOSTILE_DNS_LOG: log };
    const runs: Array<[string[], Record<string, string>, string]> = [
      [['--endpoint', KEY], {}, '--endpoint'],
      [['--endpoint', `https://${KEY.slice(0, 20)}.example.com`], {}, '--endpoint'],
      [[], { TCSS_ENDPOINT: KEY.toLowerCase() }, 'TCSS_ENDPOINT'],
      [['--proxy', `http://${KEY}:3128`], {}, '--proxy'],
      [[], { HTTPS_PROXY: `http://${KEY}:3128` }, 'HTTPS_PROXY'],
    ];
    for (const [args, env, where] of runs) {
      const result = await runTcss(['image-scan', 'get', ...args, '--retries', '0'], { home: home.dir, env: { ...ENV, ...dnsEnv, ...env } });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toBe(
        `Error [Usage.InvalidValue]: ${where} holds a secret key or token; tcss does not use it as a host name (nothing was looked up or sent)\nhint: give the host there (e.g. tcss.tencentcloudapi.com), and rotate the key if it was shared or logged\n`,
      );
    }
    const looked = existsSync(log) ? await readFile(log, 'utf8') : '';
    expect(piecesShown(looked, KEY)).toEqual([]);
  });
});

describe('server text in list fields', () => {
  const hostile = ['nginx\u009b31mRED', 'a\u202ebad.exe', 'zero\u200bwidth', 'iso\u2066late\u2069', 'bom\ufeff'];
  const RAW = /[\u0080-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

  it('reaches the terminal escaped, in text and in JSON (which keeps the values)', async () => {
    const body = JSON.stringify({
      Response: { RequestId: 'r-1', Enable: true, ScanTime: '01:00', ScanPeriod: 1, Images: hostile, ExcludeImages: hostile.slice(1), ClusterIDs: ['cls-\u202exyz'] },
    });
    const server: Server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/json' }).end(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const text = await runTcss(['image-scan', 'get', '--endpoint', endpoint], { home: home.dir, env: ENV });
      expect(text.exitCode, text.stderr).toBe(0);
      expect(text.stdout).not.toMatch(RAW);
      expect(text.stdout).toContain('nginx\\u009b31mRED');
      expect(text.stdout).toContain('a\\u202ebad.exe');
      expect(text.stdout).toContain('cls-\\u202exyz');
      const json = await runTcss(['image-scan', 'get', '--endpoint', endpoint, '--output', 'json'], { home: home.dir, env: ENV });
      expect(json.exitCode).toBe(0);
      expect(json.stdout).not.toMatch(RAW);
      expect((JSON.parse(json.stdout) as { Images: string[] }).Images).toEqual(hostile);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
