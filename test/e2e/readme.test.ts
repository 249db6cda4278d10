/**
 * Keeps the documentation true to the binary: every option that `--help` lists for every command is documented
 * in README.md or a page of docs/ (the reference lives there), every command is named, and the exit-code tables
 * of README.md and docs/commands.md match the one in src/core/errors.ts. test/e2e/docs-examples.test.ts runs
 * their examples.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/core/errors.js';
import { ROOT, makeTempHome, runTcss, type TempHome } from '../helpers/cli.js';

let home: TempHome;
let readme: string;
let commandsPage: string;
/** README.md and every page of docs/, together. */
let docs: string;

beforeAll(async () => {
  home = await makeTempHome();
  readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  commandsPage = await readFile(join(ROOT, 'docs', 'commands.md'), 'utf8');
  const pages = (await readdir(join(ROOT, 'docs'))).filter((f) => f.endsWith('.md')).sort();
  docs = [readme, ...(await Promise.all(pages.map((f) => readFile(join(ROOT, 'docs', f), 'utf8'))))].join('\n');
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

describe('README and docs/', () => {
  it('documents every option of every command', async () => {
    const paths: string[][] = [[]];
    for (let i = 0; i < paths.length; i++) {
      for (const sub of await commandsOf(paths[i] as string[])) paths.push([...(paths[i] as string[]), sub]);
    }
    expect(paths.length).toBeGreaterThan(3);
    const missing: string[] = [];
    for (const path of paths) {
      for (const option of await optionsOf(path)) {
        if (!docs.includes(`\`${option}`) && !docs.includes(` ${option} `) && !docs.includes(`${option}\``)) {
          missing.push(`tcss ${path.join(' ')} ${option}`.replace(/\s+/g, ' '));
        }
      }
      if (path.length > 0) expect(docs, `the docs mention "tcss ${path.join(' ')}"`).toContain(`tcss ${path.join(' ')}`);
      // docs/commands.md is the reference of every command and flag: each command is named there.
      if (path.length > 0) expect(commandsPage, `docs/commands.md names "tcss ${path.join(' ')}"`).toContain(`tcss ${path.join(' ')}`);
    }
    expect(missing).toEqual([]);
  });

  it('lists every documented exit code, and no other, in README.md and docs/commands.md', () => {
    for (const page of [readme, commandsPage]) {
      const table = [...page.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]));
      expect(table).toEqual([...new Set(Object.values(ExitCode))].sort((a, b) => a - b));
    }
  });

  it('keeps README.md the front door: at most 300 lines, linking every page of docs/', async () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(300);
    for (const page of (await readdir(join(ROOT, 'docs'))).filter((f) => f.endsWith('.md') && f !== 'README.md')) {
      expect(readme, `README.md links docs/${page}`).toContain(`](docs/${page}`);
    }
  });
});
