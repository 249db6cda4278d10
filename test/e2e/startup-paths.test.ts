/**
 * The start-up shortcuts behave exactly like the long way round: `tcss --version` and `tcss --help` answered
 * by bin/tcss.js print what commander prints, and bin/tcss.js turns on Node's compile cache where Node has one
 * (every other test runs on a Node without it).
 */
import { execa } from 'execa';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, makeTempHome, runTcss, type TempHome } from '../helpers/cli.js';

let home: TempHome;
beforeAll(async () => {
  home = await makeTempHome();
});
afterAll(() => home.cleanup());

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

describe('bin/tcss.js and the compile cache', () => {
  it('calls module.enableCompileCache once when Node has it', async () => {
    // Node 20 has no enableCompileCache; this preload supplies one that records the call, so the guard in
    // bin/tcss.js is exercised the way Node >= 22.1 would exercise it.
    const preload = join(home.dir, 'fake-compile-cache.mjs');
    await writeFile(
      preload,
      [
        "import module from 'node:module';",
        "import { writeSync } from 'node:fs';",
        "module.enableCompileCache = () => { writeSync(2, 'compile cache on\\n'); return { status: 0 }; };",
      ].join('\n'),
    );
    const result = await execa('node', ['--import', preload, BIN, '--no-color', '--version'], {
      env: cleanEnv(home.dir),
      extendEnv: false,
      reject: false,
      stripFinalNewline: false,
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(`${__TCSS_VERSION__}\n`);
    expect(result.stderr).toBe('compile cache on\n');
  });
});
