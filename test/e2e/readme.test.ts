/**
 * Keeps README.md true to the binary: every option that `--help` lists for every command is documented, and
 * the README's exit-code table matches the one in src/core/errors.ts.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/core/errors.js';
import { ROOT, makeTempHome, runTcss, type TempHome } from '../helpers/cli.js';

let home: TempHome;
let readme: string;

beforeAll(async () => {
  home = await makeTempHome();
  readme = await readFile(join(ROOT, 'README.md'), 'utf8');
});
afterAll(() => home.cleanup());

async function commandsOf(path: string[]): Promise<string[]> {
  const { stdout } = await runTcss([...path, '--help'], { home: home.dir });
  const section = stdout.split(/\nCommands:\n/)[1]?.split(/\n\n/)[0] ?? '';
  return section
    .split('\n')
    .map((line) => /^ {2}([a-z][a-z-]*)/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined && name !== 'help');
}

async function optionsOf(path: string[]): Promise<string[]> {
  const { stdout, exitCode } = await runTcss([...path, '--help'], { home: home.dir });
  expect(exitCode).toBe(0);
  return [...stdout.matchAll(/^ {2}(?:-\w, )?(--[a-z][a-z-]*)/gm)].map((m) => m[1] as string);
}

describe('README', () => {
  it('documents every option of every command', async () => {
    const paths: string[][] = [[]];
    for (let i = 0; i < paths.length; i++) {
      for (const sub of await commandsOf(paths[i] as string[])) paths.push([...(paths[i] as string[]), sub]);
    }
    expect(paths.length).toBeGreaterThan(3);
    const missing: string[] = [];
    for (const path of paths) {
      for (const option of await optionsOf(path)) {
        if (!readme.includes(`\`${option}`) && !readme.includes(` ${option} `) && !readme.includes(`${option}\``)) {
          missing.push(`tcss ${path.join(' ')} ${option}`.replace(/\s+/g, ' '));
        }
      }
      if (path.length > 0) expect(readme, `README mentions "tcss ${path.join(' ')}"`).toContain(`tcss ${path.join(' ')}`);
    }
    expect(missing).toEqual([]);
  });

  it('lists every documented exit code', () => {
    for (const code of Object.values(ExitCode)) expect(readme).toMatch(new RegExp(`^\\| ${code} \\|`, 'm'));
  });
});
