/**
 * Every console example in README.md and docs/*.md is run and compared with what the page shows, so a page
 * that drifts from the binary fails here. Each page gets its own emulator (the built binary's `tcss emulator`
 * on 127.0.0.1, port 0, throwaway accounts), its own temporary HOME with a working directory in it (~/project), and a `tcss` on
 * PATH that runs the built binary. The commands of one block run in one bash, in order (so `echo $?` shows the
 * previous command's code); the examples of a page run in page order against the same emulator, so a `get`
 * shows what a `set` above it stored. See test/helpers/doc-examples.ts for the conventions.
 */
import { execa } from 'execa';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchesExpected, normalise, parseDocBlocks, type DocBlock } from '../helpers/doc-examples.js';
import { BIN, ROOT } from '../helpers/cli.js';

const PTY_DRIVER = fileURLToPath(new URL('../helpers/pty-driver.py', import.meta.url));

/** The accounts the emulator of every page accepts: the default one (environment keys) and two tccli profiles. */
const DEFAULT = { secretId: 'AKIDEXAMPLE00000000000000000000000', secretKey: 'example-key-000000000000000000000' };
const PROFILES = {
  prod: { secretId: 'AKIDPROD00000000000000000000000000000', secretKey: 'prod-key-000000000000000000000000' },
  staging: { secretId: 'AKIDSTAGING000000000000000000000000', secretKey: 'staging-key-0000000000000000000000' },
};
/** Secrets that examples use (keys, a proxy password): none may ever show in an output. */
const SECRETS = [DEFAULT.secretKey, PROFILES.prod.secretKey, PROFILES.staging.secretKey, 's3cret', 'a-stale-key', 'do-not-keep-keys-here'];

/**
 * The fewest executed examples (commands) each page must keep. Marking an example "not run" lowers the count,
 * so a page cannot quietly stop being tested; raise a figure when a page gains examples.
 */
const MIN_EXECUTED: Record<string, number> = {
  'README.md': 11,
  'docs/ci.md': 4,
  'docs/commands.md': 39,
  'docs/configuration.md': 16,
  'docs/credentials.md': 18,
  'docs/emulator.md': 27,
  'docs/policy.md': 17,
  'docs/security.md': 30,
};

async function pages(): Promise<string[]> {
  const docs = (await readdir(join(ROOT, 'docs'))).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`);
  return ['README.md', ...docs.sort()];
}

interface Page {
  name: string;
  blocks: DocBlock[];
}

let all: Page[] = [];

beforeAll(async () => {
  all = await Promise.all((await pages()).map(async (name) => ({ name, blocks: parseDocBlocks(await readFile(join(ROOT, name), 'utf8')) })));
});

interface Emulator {
  url: string;
  stop(): Promise<void>;
}

function startEmulator(home: string): Promise<Emulator> {
  const args = [BIN, 'emulator', '--port', '0'];
  for (const account of [DEFAULT, PROFILES.prod, PROFILES.staging]) args.push('--secret-id', account.secretId, '--secret-key', account.secretKey);
  const child: ChildProcess = spawn(process.execPath, args, { env: { PATH: process.env.PATH, HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the emulator did not start within 10 s'));
    }, 10_000);
    child.on('exit', (code) => reject(new Error(`the emulator exited with ${code}`)));
    child.stderr?.resume();
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (!match) return;
      clearTimeout(timer);
      child.stdout?.removeAllListeners('data').resume();
      resolve({
        url: match[1] as string,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.removeAllListeners('exit');
            const force = setTimeout(() => child.kill('SIGKILL'), 5000);
            child.once('exit', () => {
              clearTimeout(force);
              done();
            });
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
const SEPARATOR = '\u001e--tcss-docs-example--\u001e';

/** The bash script for one block: each command, then a separator, keeping `$?` for the next command. */
function scriptOf(block: DocBlock, dir: string): string {
  const lines = ['exec 2>&1', `cd ${quote(join(dir, 'home', 'project'))}`];
  for (const { command, terminal } of block.commands) {
    if (terminal) {
      const status = join(dir, 'pty-status');
      lines.push(
        `python3 ${quote(PTY_DRIVER)} 40 200 -- bash -c ${quote(command)} </dev/null 2>${quote(status)}; ` +
          `__s=$(sed -n 's/^exit://p' ${quote(status)})`,
      );
    } else {
      lines.push(command, '__s=$?');
    }
    lines.push(`printf '%s' ${quote(SEPARATOR)}; (exit $__s)`);
  }
  return `${lines.join('\n')}\n`;
}

describe('docs examples', () => {
  it('finds the pages and their examples', async () => {
    const names = await pages();
    for (const name of Object.keys(MIN_EXECUTED)) expect(names, `${name} exists`).toContain(name);
  });

  // One test per page, listed up front so that vitest names them; the page list is fixed by MIN_EXECUTED plus
  // whatever docs/ holds, checked in the test above.
  const names = ['README.md', 'docs/api.md', 'docs/architecture.md', 'docs/ci.md', 'docs/commands.md', 'docs/configuration.md',
    'docs/credentials.md', 'docs/emulator.md', 'docs/performance.md', 'docs/policy.md', 'docs/README.md', 'docs/security.md'];
  it('names every page of docs/', async () => {
    expect([...(await pages())].sort()).toEqual([...names].sort());
  });

  for (const name of names) {
    describe(name, () => {
      let dir: string;
      let emulator: Emulator;
      beforeAll(async () => {
        dir = await mkdtemp(join(tmpdir(), 'tcss-docs-'));
        await mkdir(join(dir, 'home', '.tccli'), { recursive: true });
        await mkdir(join(dir, 'home', 'project'), { recursive: true });
        await mkdir(join(dir, 'bin'), { recursive: true });
        for (const [profile, keys] of Object.entries(PROFILES)) {
          await writeFile(join(dir, 'home', '.tccli', `${profile}.credential`), JSON.stringify(keys), { mode: 0o600 });
        }
        await writeFile(join(dir, 'bin', 'tcss'), `#!/bin/sh\nexec ${quote(process.execPath)} ${quote(BIN)} "$@"\n`);
        await chmod(join(dir, 'bin', 'tcss'), 0o755);
        emulator = await startEmulator(join(dir, 'home'));
      });
      afterAll(async () => {
        await emulator?.stop();
        if (dir) await rm(dir, { recursive: true, force: true });
      });

      it('runs every console example and shows what the page shows', { timeout: 180_000 }, async () => {
        const page = all.find((p) => p.name === name);
        expect(page, `${name} was read`).toBeDefined();
        const blocks = page?.blocks ?? [];
        let executed = 0;
        const failures: string[] = [];
        for (const block of blocks) {
          if (block.kind === 'file' && block.file) {
            await writeFile(join(dir, 'home', 'project', block.file.name), block.file.content);
            continue;
          }
          if (block.kind === 'not-run') {
            expect(block.reason, `${name}:${block.line}: an example not run says why, visibly: "(shown, not run by the docs test: …)"`).toBeDefined();
            continue;
          }
          const env = {
            PATH: `${join(dir, 'bin')}:${process.env.PATH ?? ''}`,
            HOME: join(dir, 'home'),
            XDG_CONFIG_HOME: join(dir, 'home', '.config'),
            NO_COLOR: '1',
            TERM: 'xterm',
            TCSS_ENDPOINT: emulator.url,
            TENCENTCLOUD_SECRET_ID: DEFAULT.secretId,
            TENCENTCLOUD_SECRET_KEY: DEFAULT.secretKey,
          };
          const result = await execa('bash', ['--noprofile', '--norc', '-c', scriptOf(block, dir)], {
            env,
            extendEnv: false,
            reject: false,
            timeout: 120_000,
            stdin: 'ignore',
          });
          expect(result.timedOut, `${name}:${block.line} finished in time`).toBe(false);
          const outputs = String(result.stdout).replace(/\r\n?/g, '\n').split(SEPARATOR);
          block.commands.forEach((cmd, index) => {
            executed += 1;
            const actual = stripVTControlCharacters(outputs[index] ?? '');
            for (const secret of SECRETS) expect(actual, `${name}:${block.line}: no secret key printed`).not.toContain(secret);
            if (!matchesExpected(cmd.expected, actual)) {
              failures.push(
                `${name}:${block.line}: $ ${cmd.command}\n--- the page shows (normalised)\n${normalise(cmd.expected.join('\n'))}\n` +
                  `--- the command printed (normalised)\n${normalise(actual)}`,
              );
            }
          });
        }
        expect(failures.join('\n\n')).toBe('');
        // A page with examples (run or not) has a figure, so it cannot mark all of them as not run.
        if (blocks.some((b) => b.kind !== 'file')) expect(MIN_EXECUTED[name], `${name}: MIN_EXECUTED has a figure`).toBeGreaterThan(0);
        expect(executed, `${name}: executed examples`).toBeGreaterThanOrEqual(MIN_EXECUTED[name] ?? 0);
      });
    });
  }
});

describe('the example matcher', () => {
  it('normalises what varies and honours "…"', () => {
    expect(matchesExpected(['RequestId 3d5d2254-77fb-4163-8e5e-710dcd7438ed'], 'RequestId 087ce4a3-1098-4461-9aab-bf0952670233\n')).toBe(true);
    expect(matchesExpected(['a', '…', 'z'], 'a\nb\nc\nz\n')).toBe(true);
    expect(matchesExpected(['a', '…', 'z'], 'a\nz\n')).toBe(true);
    expect(matchesExpected(['key AKIDEMU…'], 'key AKIDEMU123\n')).toBe(true);
    expect(matchesExpected(['a', 'z'], 'a\nb\nz\n')).toBe(false);
    expect(matchesExpected(['Period 7'], 'Period 1\n')).toBe(false);
    expect(matchesExpected(['http://127.0.0.1:9100'], 'http://127.0.0.1:41234\n')).toBe(true);
    expect(matchesExpected([], 'something\n')).toBe(false);
  });

  it('finds commands, continuations, terminal runs, files and not-run examples with their captions', () => {
    const page = [
      '```yaml file=p.yaml', 'enable: true', '```',
      '```console', '$ tcss a \\', '    --b', 'out', '$ echo $?', '0', '$ tcss c   # in a terminal', '```',
      'Text (shown, not run by the docs test: needs a terminal):', '', '```text', '$ tcss image-scan set', '✔ …', '```',
      '```text', '$ tcss x', '```',
    ].join('\n');
    const blocks = parseDocBlocks(page);
    expect(blocks.map((b) => b.kind)).toEqual(['file', 'console', 'not-run', 'not-run']);
    expect(blocks[0]?.file).toEqual({ name: 'p.yaml', content: 'enable: true\n' });
    expect(blocks[1]?.commands).toEqual([
      { command: 'tcss a \\\n    --b', expected: ['out'], terminal: false },
      { command: 'echo $?', expected: ['0'], terminal: false },
      { command: 'tcss c   # in a terminal', expected: [], terminal: true },
    ]);
    expect(blocks[2]?.reason).toBe('needs a terminal');
    expect(blocks[3]?.reason).toBeUndefined();
  });
});
