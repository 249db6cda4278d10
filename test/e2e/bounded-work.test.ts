/**
 * Small hostile input costs bounded work, on the built binary: a YAML alias bomb, a 1 MiB list, nesting far
 * deeper than any document tcss reads, in a policy file, a config file and a server's answer.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseList } from '../../src/core/settings/fields.js';
import { makeTempHome, runTcss, type TempHome } from '../helpers/cli.js';
import { ACCOUNT_A } from '../helpers/emulator-client.js';

const CREDS = { TENCENTCLOUD_SECRET_ID: ACCOUNT_A.secretId, TENCENTCLOUD_SECRET_KEY: ACCOUNT_A.secretKey };
const SET = ['image-scan', 'set', '--enable', '--scan-time', '01:00', '--dry-run'];

let home: TempHome;
let server: Server | undefined;
beforeEach(async () => {
  home = await makeTempHome();
});
afterEach(async () => {
  if (server) await new Promise((resolve) => (server as Server).close(resolve));
  server = undefined;
  await home.cleanup();
});

/** A YAML document of a few hundred bytes whose aliases expand to 9^levels values. */
function aliasBomb(levels: number, top = 'images'): string {
  const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < levels; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(',')}]`);
  lines.push(`${top}: *a${levels - 1}`);
  return `${lines.join('\n')}\n`;
}

/** A real API peer that answers every request with `body`. */
async function answering(body: string): Promise<string> {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => (server as Server).listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${((server as Server).address() as AddressInfo).port}`;
}

async function timed<T>(run: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await run();
  return { result, ms: performance.now() - started };
}

describe('YAML aliases', () => {
  it('a 9-level alias bomb in a policy file is refused at once (exit 2)', async () => {
    const bomb = aliasBomb(9);
    expect(bomb.length).toBeLessThan(600);
    const path = await home.file('bomb.yaml', bomb);
    const { result, ms } = await timed(() => runTcss(['image-scan', 'diff', '-f', path], { home: home.dir, env: CREDS }));
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe('Error [Policy.Invalid]: ~/bomb.yaml expands to more than 1048576 values (YAML aliases); it is not a policy file\n');
    expect(ms).toBeLessThan(3000);
  });

  it('a 10-level alias bomb in a config file is refused at once (exit 2)', async () => {
    await mkdir(join(home.dir, 'project', '.git'), { recursive: true });
    await home.file('project/.tcssrc.yaml', aliasBomb(10, 'imageScan'));
    const { result, ms } = await timed(() => runTcss(SET, { home: home.dir, cwd: join(home.dir, 'project'), env: CREDS }));
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe('Error [Config.Invalid]: ~/project/.tcssrc.yaml expands to more than 100000 values (YAML aliases); it is not a config file\n');
    expect(ms).toBeLessThan(3000);
  });

  it('aliases used a sane number of times still work', async () => {
    const path = await home.file('ok.yaml', 'images: &c ["nginx:1", "redis:7"]\nexcludeImages: *c\n');
    const peer = await answering(JSON.stringify({ Response: { RequestId: 'r', Enable: false, ScanTime: '01:00', ScanPeriod: 1, Images: ['nginx:1', 'redis:7'], ExcludeImages: ['redis:7', 'nginx:1'] } }));
    const result = await runTcss(['image-scan', 'diff', '-f', path, '--endpoint', peer], { home: home.dir, env: CREDS });
    expect(result.stderr).not.toContain('Error');
    // Compared with the account: 0 (same) or 5 (differs), never a refusal of the file.
    expect([0, 5]).toContain(result.exitCode);
  });
});

describe('lists of 1 MiB', () => {
  const images = Array.from({ length: 124_000 }, (_, i) => `img${i}`);

  it('parseList de-duplicates 1 MiB of items in linear time', () => {
    const items = [...images, ...images.slice(0, 20_000)];
    expect(JSON.stringify(items).length).toBeGreaterThan(1_000_000);
    const { ms } = (() => {
      const started = performance.now();
      const out = parseList(items, '--images');
      expect(out).toHaveLength(images.length);
      return { ms: performance.now() - started };
    })();
    expect(ms).toBeLessThan(2000);
  });

  it('a 1 MiB policy and a 1 MiB server answer are read well within the timeout', async () => {
    const policy = JSON.stringify({ images: images.slice(0, 85_000) });
    expect(policy.length).toBeGreaterThan(900_000);
    const path = await home.file('big.json', policy);
    const answer = JSON.stringify({ Response: { RequestId: 'r', Enable: true, ScanTime: '01:00', ScanPeriod: 1, Images: images.slice(0, 80_000) } });
    expect(answer.length).toBeLessThan(1024 * 1024);
    const peer = await answering(answer);
    const { result, ms } = await timed(() => runTcss(['image-scan', 'diff', '-f', path, '--endpoint', peer, '--output', 'json'], { home: home.dir, env: CREDS }));
    // It differs (the policy has more images): exit 5, after reading both in full.
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(5);
    expect(ms).toBeLessThan(5000);
  });
});

describe('deep nesting', () => {
  const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

  it('a policy 100k levels deep: exit 2', async () => {
    const path = await home.file('deep.json', `{"images": ${nested(100_000)}}`);
    const result = await runTcss(['image-scan', 'diff', '-f', path], { home: home.dir, env: CREDS });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe('Error [Policy.Invalid]: ~/deep.json is nested more than 64 levels deep; it is not a policy file\n');
  });

  it('a YAML policy 20k levels deep: exit 2', async () => {
    const path = await home.file('deep.yaml', `images: ${nested(20_000)}\n`);
    const result = await runTcss(['image-scan', 'diff', '-f', path], { home: home.dir, env: CREDS });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^Error \[Policy\.Invalid\]: ~\/deep\.yaml is nested too deeply to be a (policy|config) file\n$/);
  });

  it('a config 20k levels deep, JSON or YAML: exit 2', async () => {
    await mkdir(join(home.dir, 'project', '.git'), { recursive: true });
    await home.file('project/.tcssrc.json', `{"imageScan": {"images": ${nested(20_000)}}}`);
    const json = await runTcss(SET, { home: home.dir, cwd: join(home.dir, 'project'), env: CREDS });
    expect(json.exitCode).toBe(2);
    expect(json.stderr).toBe('Error [Config.Invalid]: ~/project/.tcssrc.json is nested more than 64 levels deep; it is not a config file\n');
    await home.file('project/.tcssrc.json', '');
    await home.file('project/.tcssrc.yaml', `imageScan:\n  images: ${nested(20_000)}\n`);
    const yaml = await runTcss(SET, { home: home.dir, cwd: join(home.dir, 'project'), env: CREDS });
    expect(yaml.exitCode).toBe(2);
    expect(yaml.stderr).toMatch(/^Error \[Config\.Invalid\]: ~\/project\/\.tcssrc\.yaml is nested too deeply to be a (policy|config) file\n$/);
  });

  it('a server answer with Images 20k levels deep: exit 4', async () => {
    const peer = await answering(`{"Response":{"RequestId":"r","Enable":true,"Images":${nested(20_000)}}}`);
    const result = await runTcss(['image-scan', 'get', '--endpoint', peer, '--retries', '0'], { home: home.dir, env: CREDS });
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toBe("Error [Network.BadResponse]: the answer is JSON nested more than 64 levels deep; it is not the API's\n");
  });
});
