/**
 * The import rules of docs/architecture.md, read off the source files themselves: which layer may import which,
 * that core's folders are entered through their index.ts and form no circle, and that comments cite what a
 * reader of the repository can open.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const SRC = join(ROOT, 'src');

interface Import {
  from: string;
  to: string;
  dynamic: boolean;
  typeOnly: boolean;
}

function walk(dir: string, ending = '.ts'): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path, ending) : path.endsWith(ending) ? [path] : [];
  });
}

const FILES = walk(SRC).map((path) => relative(ROOT, path).split('\\').join('/'));

/** Every relative import of a file, static, re-export or `import()`, resolved to a project path. */
function importsOf(file: string): Import[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const out: Import[] = [];
  const re = /(?:^|\n)\s*(import|export)\s+(type\s+)?[^'";]*?from\s+'(\.{1,2}\/[^']+)'|import\(\s*'(\.{1,2}\/[^']+)'\s*\)/g;
  for (const m of text.matchAll(re)) {
    const spec = (m[3] ?? m[4]) as string;
    const to = normalize(join(dirname(file), spec)).split('\\').join('/').replace(/\.js$/, '.ts');
    out.push({ from: file, to, dynamic: m[4] !== undefined, typeOnly: m[2] !== undefined });
  }
  return out;
}

const IMPORTS = FILES.flatMap(importsOf);

/** `settings` for src/core/settings/x.ts, `base` for src/core/x.ts, undefined outside core. */
function coreFolder(path: string): string | undefined {
  const m = /^src\/core\/(?:([^/]+)\/)?[^/]+\.ts$/.exec(path);
  if (!m) return undefined;
  return m[1] ?? 'base';
}

describe('architecture', () => {
  it('finds the source files and their imports', () => {
    // A parser that saw nothing would pass every rule below.
    expect(FILES.length).toBeGreaterThan(50);
    expect(IMPORTS.length).toBeGreaterThan(150);
    expect(IMPORTS.some((i) => i.dynamic)).toBe(true);
    for (const i of IMPORTS) expect(FILES, `${i.from} imports ${i.to}`).toContain(i.to);
  });

  it('keeps the core free of the front ends and the emulator', () => {
    const bad = IMPORTS.filter((i) => i.from.startsWith('src/core/') && !i.to.startsWith('src/core/'));
    expect(bad).toEqual([]);
  });

  it('lets the wizard import the core and itself only, never the command layer', () => {
    const bad = IMPORTS.filter((i) => i.from.startsWith('src/wizard/') && !i.to.startsWith('src/core/') && !i.to.startsWith('src/wizard/'));
    expect(bad).toEqual([]);
  });

  it('keeps at most 8 files directly in src/core', () => {
    const direct = FILES.filter((f) => coreFolder(f) === 'base');
    expect(direct.length).toBeGreaterThan(0);
    expect(direct.length).toBeLessThanOrEqual(8);
  });

  it('gives every core folder an index.ts', () => {
    const folders = new Set(FILES.map(coreFolder).filter((f): f is string => f !== undefined && f !== 'base'));
    expect(folders.size).toBeGreaterThanOrEqual(5);
    for (const folder of folders) expect(FILES).toContain(`src/core/${folder}/index.ts`);
  });

  it("lets the core's base files import no core folder", () => {
    const bad = IMPORTS.filter((i) => coreFolder(i.from) === 'base' && coreFolder(i.to) !== 'base');
    expect(bad).toEqual([]);
  });

  it("enters a core folder from outside only through its index.ts (a lazy import() excepted)", () => {
    const bad = IMPORTS.filter((i) => {
      const target = coreFolder(i.to);
      if (target === undefined || target === 'base' || i.dynamic || coreFolder(i.from) === target) return false;
      return !i.to.endsWith('/index.ts');
    });
    expect(bad).toEqual([]);
  });

  it('has no circle between core folders', () => {
    const edges = new Map<string, Set<string>>();
    for (const i of IMPORTS) {
      const [a, b] = [coreFolder(i.from), coreFolder(i.to)];
      if (a === undefined || b === undefined || a === b) continue;
      if (!edges.has(a)) edges.set(a, new Set());
      edges.get(a)?.add(b);
    }
    expect(edges.size).toBeGreaterThan(2);
    const cycles: string[] = [];
    const visit = (node: string, path: string[]): void => {
      if (path.includes(node)) {
        cycles.push([...path.slice(path.indexOf(node)), node].join(' → '));
        return;
      }
      for (const next of edges.get(node) ?? []) visit(next, [...path, node]);
    };
    for (const node of edges.keys()) visit(node, []);
    expect(cycles).toEqual([]);
  });

  it('has no circle between the layers outside the core', () => {
    const layer = (path: string): string => /^src\/([^/]+)\//.exec(path)?.[1] ?? 'entry';
    const pairs = new Set(IMPORTS.filter((i) => !i.dynamic).map((i) => `${layer(i.from)}>${layer(i.to)}`));
    const back = [...pairs].filter((p) => {
      const [a, b] = p.split('>');
      return a !== b && pairs.has(`${b}>${a}`);
    });
    expect(back).toEqual([]);
  });

  it('cites no issue number and no file outside the repository', () => {
    const all = walk(SRC).concat(walk(join(ROOT, 'test')), walk(join(ROOT, 'bin'), '.js'), walk(join(ROOT, 'scripts'), 's'));
    const bad: string[] = [];
    for (const path of all) {
      if (path.endsWith('architecture.test.ts')) continue;
      const text = readFileSync(path, 'utf8');
      for (const m of text.matchAll(/issue #\d+|tcss-api\.md|shared\/reference|\.\.\/shared\//gi)) bad.push(`${relative(ROOT, path)}: ${m[0]}`);
    }
    expect(bad).toEqual([]);
  });
});
