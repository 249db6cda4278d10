/**
 * src/cli/stack.ts: `--debug` stack traces through the build's source map. A small module is minified by esbuild
 * as scripts/build.js minifies the CLI, written out as the build writes dist/tcss.cjs and its map, and run under
 * the script's name; its errors' stacks must then name the source file, line, column and function.
 */
import { build } from 'esbuild';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SCRIPT_NAME, useSourceMappedStacks, type SourceMapFile } from '../../src/cli/stack.js';

const SOURCE = `export function outerName(): Error {
  return innerName();
}
function innerName(): Error {
  return new Error('from a function');
}
export class Thing {
  method(): Error {
    return new Error('from a method');
  }
}
export const arrow = (value: number, other: number): Error => new Error(String(value + other));
export async function awaited(): Promise<Error> {
  await Promise.resolve();
  return await thrower();
}
async function thrower(): Promise<Error> {
  await null;
  return new Error('from an async function');
}
`;

interface Fixture extends SourceMapFile {
  exports: { outerName: () => Error; Thing: new () => { method: () => Error }; arrow: (a: number, b: number) => Error; awaited: () => Promise<Error> };
}

let dir: string;
let fixture: Fixture;
const BUILD = 'f'.repeat(64);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tcss-stack-'));
  await writeFile(join(dir, 'sample.ts'), SOURCE);
  const result = await build({
    entryPoints: [join(dir, 'sample.ts')],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    write: false,
    outfile: join(dir, 'dist', 'tcss.cjs'),
    minifyWhitespace: true,
    minifyIdentifiers: true,
    sourcemap: 'external',
    sourcesContent: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles.find((file) => file.path.endsWith('.cjs'))!.text;
  const map = JSON.parse(result.outputFiles.find((file) => file.path.endsWith('.map'))!.text) as { mappings: string };
  const script = join(dir, 'tcss.cjs');
  const text = `// tcss build ${BUILD}\n(function (require, module) {\n${code}})\n`;
  await writeFile(script, text);
  await writeFile(`${script}.map`, JSON.stringify({ ...map, x_tcss_build: BUILD, mappings: `;;${map.mappings}` }));
  const module = { exports: {} };
  (new Script(text, { filename: SCRIPT_NAME }).runInThisContext() as (r: unknown, m: unknown) => void)(undefined, module);
  fixture = { file: `${script}.map`, script, exports: module.exports as Fixture['exports'] };
});

afterEach(() => {
  delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The stack's frames in the sample, as text. */
function frames(error: Error): string[] {
  return String(error.stack).split('\n').filter((line) => line.includes('sample.ts') || line.includes(SCRIPT_NAME));
}

/** The 1-based line of SOURCE that holds `text`. */
function lineOf(text: string): number {
  return SOURCE.split('\n').findIndex((line) => line.includes(text)) + 1;
}

describe('--debug stack traces through the source map', () => {
  it('names the source file, line and column, and each function by its own name', () => {
    useSourceMappedStacks(fixture);
    const stack = frames(fixture.exports.outerName());
    expect(stack[0]).toMatch(new RegExp(`^    at innerName \\(.*sample\\.ts:${lineOf("new Error('from a function')")}:10\\)$`));
    expect(stack[1]).toMatch(new RegExp(`^    at outerName \\(.*sample\\.ts:${lineOf('return innerName()')}:10\\)$`));
    expect(stack.join('\n')).not.toContain(SCRIPT_NAME);
  });

  it('a method by its name; an arrow function by the place only, never by one of its parameters', () => {
    useSourceMappedStacks(fixture);
    const method = frames(new fixture.exports.Thing().method())[0]!;
    expect(method).toMatch(new RegExp(`at \\S*method \\(.*sample\\.ts:${lineOf("new Error('from a method')")}:\\d+\\)$`));
    const arrow = frames(fixture.exports.arrow(1, 2))[0]!;
    expect(arrow).toMatch(new RegExp(`sample\\.ts:${lineOf('export const arrow')}:\\d+\\)?$`));
    expect(arrow).not.toMatch(/at (value|other) /);
  });

  it('async frames keep their `async` and their names', async () => {
    useSourceMappedStacks(fixture);
    const stack = frames(await fixture.exports.awaited());
    expect(stack[0]).toMatch(/^ {4}at thrower \(.*sample\.ts:\d+:\d+\)$/);
    expect(stack[1]).toMatch(/^ {4}at async awaited \(.*sample\.ts:\d+:\d+\)$/);
  });

  it("without the map of this very build, stacks are V8's own, at the script's lines and columns", async () => {
    const plain = frames(fixture.exports.outerName());
    expect(plain[0]).toContain(`(${SCRIPT_NAME}:`);
    for (const source of [
      { ...fixture, file: join(dir, 'missing.map') },
      { ...fixture, script: join(dir, 'missing.cjs') },
    ]) {
      useSourceMappedStacks(source);
      expect(frames(fixture.exports.outerName())).toEqual(plain);
    }
    const damaged = join(dir, 'damaged.map');
    const map = await readFile(fixture.file, 'utf8');
    await writeFile(damaged, map.slice(0, 100));
    useSourceMappedStacks({ ...fixture, file: damaged });
    expect(frames(fixture.exports.outerName())).toEqual(plain);
    // Another build's map.
    const other = join(dir, 'other.map');
    await writeFile(other, map.replace(BUILD, '0'.repeat(64)));
    useSourceMappedStacks({ ...fixture, file: other });
    expect(frames(fixture.exports.outerName())).toEqual(plain);
  });
});
