/**
 * The config pre-check (src/core/config/presence.ts) may only say "no config" where the real cosmiconfig,
 * configured as src/core/config/load.ts configures it, finds none. Checked on real temporary directory trees
 * against the real cosmiconfig: random trees for soundness, and named cases for what it must see.
 */
import { cosmiconfig, getDefaultSearchPlaces, globalConfigSearchPlaces } from 'cosmiconfig';
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GLOBAL_SEARCH_PLACES, META_SEARCH_PLACES, SEARCH_PLACES, configMayExist, globalConfigDir, searchDirs } from '../../src/core/config/presence.js';

let root: string;
let previousCwd: string;
let previousXdg: string | undefined;

beforeAll(() => {
  previousCwd = process.cwd();
  previousXdg = process.env.XDG_CONFIG_HOME;
});
afterAll(() => {
  process.chdir(previousCwd);
  if (previousXdg === undefined) delete process.env.XDG_CONFIG_HOME;
  else process.env.XDG_CONFIG_HOME = previousXdg;
});
afterEach(() => {
  process.chdir(previousCwd);
  if (root) rmSync(root, { recursive: true, force: true });
});

interface Tree {
  /** cwd = <root>/home/a/b; stopDir = <root>/home; <root> itself is above the stop. */
  dirs: Record<'b' | 'a' | 'home' | 'above', Array<[string, string]>>;
  global: Array<[string, string]>;
  /** The process's working directory, where cosmiconfig reads its meta config. */
  meta: Array<[string, string]>;
}

function layout(tree: Tree): { cwd: string; stopDir: string; processCwd: string; globalDir: string } {
  root = mkdtempSync(join(tmpdir(), 'tcss-presence-'));
  const paths = { above: root, home: join(root, 'home'), a: join(root, 'home', 'a'), b: join(root, 'home', 'a', 'b') };
  const write = (dir: string, name: string, content: string): void => {
    const file = join(dir, name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  };
  mkdirSync(paths.b, { recursive: true });
  for (const key of ['b', 'a', 'home', 'above'] as const) for (const [name, content] of tree.dirs[key]) write(paths[key], name, content);
  const xdg = join(root, 'xdg');
  process.env.XDG_CONFIG_HOME = xdg;
  const globalDir = globalConfigDir(process.env, 'linux');
  mkdirSync(globalDir, { recursive: true });
  for (const [name, content] of tree.global) write(globalDir, name, content);
  const processCwd = join(root, 'proc');
  mkdirSync(processCwd, { recursive: true });
  for (const [name, content] of tree.meta) write(processCwd, name, content);
  process.chdir(processCwd);
  return { cwd: paths.b, stopDir: paths.home, processCwd, globalDir };
}

/** What src/core/config/load.ts asks cosmiconfig. */
async function cosmiconfigFinds(cwd: string, stopDir: string): Promise<unknown> {
  const explorer = cosmiconfig('tcss', { searchStrategy: 'global', stopDir, cache: false });
  return explorer.search(cwd);
}

const CONFIG = '{"region":"ap-guangzhou"}';
const empty: Tree = { dirs: { b: [], a: [], home: [], above: [] }, global: [], meta: [] };

describe('config pre-check: the lists match cosmiconfig', () => {
  it('uses cosmiconfig 9 search places and directories', () => {
    expect(SEARCH_PLACES).toEqual(getDefaultSearchPlaces('tcss'));
    expect(GLOBAL_SEARCH_PLACES).toEqual(globalConfigSearchPlaces);
    expect(META_SEARCH_PLACES).toEqual(['package.json', 'package.yaml', ...['.json', '.yaml', '.yml', '.js', '.ts', '.cjs', '.mjs'].map((e) => `.config/config${e}`)]);
    expect(searchDirs('/h/a/b', '/h')).toEqual(['/h/a/b', '/h/a', '/h']);
    expect(searchDirs('/x/y', '/h')).toEqual(['/x/y', '/x', '/']);
    expect(globalConfigDir({ XDG_CONFIG_HOME: '/xdg' }, 'linux', '/home/u')).toBe('/xdg/tcss');
    expect(globalConfigDir({}, 'linux', '/home/u')).toBe('/home/u/.config/tcss');
  });
});

describe('config pre-check: named cases', () => {
  const cases: Array<[string, Tree, boolean]> = [
    ['nothing anywhere', empty, false],
    ['a package.json without a "tcss" key', { ...empty, dirs: { ...empty.dirs, a: [['package.json', '{"name":"x"}']] } }, false],
    ['"tcss": null in package.json', { ...empty, dirs: { ...empty.dirs, b: [['package.json', '{"tcss":null}']] } }, false],
    ['near-miss names', { ...empty, dirs: { ...empty.dirs, b: [['.tcssrc.bak', CONFIG], ['tcss.config.json', CONFIG], ['.config/tcss.json', CONFIG]] } }, false],
    ['a config above the stop directory', { ...empty, dirs: { ...empty.dirs, above: [['.tcssrc.json', CONFIG]] } }, false],
    ['.tcssrc.json in the start directory', { ...empty, dirs: { ...empty.dirs, b: [['.tcssrc.json', CONFIG]] } }, true],
    ['.config/tcssrc.yaml at the stop directory', { ...empty, dirs: { ...empty.dirs, home: [['.config/tcssrc.yaml', 'region: ap-guangzhou\n']] } }, true],
    ['"tcss" in package.json', { ...empty, dirs: { ...empty.dirs, a: [['package.json', `{"tcss":${CONFIG}}`]] } }, true],
    ['a package.json that is not JSON', { ...empty, dirs: { ...empty.dirs, a: [['package.json', '{oops']] } }, true],
    ['the global config.json', { ...empty, global: [['config.json', CONFIG]] }, true],
    ['a meta config in the process directory', { ...empty, meta: [['.config/config.json', '{"cosmiconfig":{}}']] }, true],
    ['a package.json with "cosmiconfig" in the process directory', { ...empty, meta: [['package.json', '{"cosmiconfig":{"searchPlaces":["x.json"]}}']] }, true],
    ['a plain package.json in the process directory', { ...empty, meta: [['package.json', '{"name":"x"}']] }, false],
  ];
  for (const [name, tree, expected] of cases) {
    it(`${expected ? 'maybe' : 'no'}: ${name}`, async () => {
      const where = layout(tree);
      expect(configMayExist(where)).toBe(expected);
      if (!expected) await expect(cosmiconfigFinds(where.cwd, where.stopDir)).resolves.toBeNull();
    });
  }
});

describe('config pre-check: never "no" where cosmiconfig finds a config', () => {
  it('holds on random trees', async () => {
    const content = fc.constantFrom(CONFIG, '', '{"tcss":{"region":"ap-guangzhou"}}', '{"name":"x"}', '{"tcss":null}', '{oops', 'region: x\n');
    // Mostly near misses and package.json files, so that "no" is a frequent answer worth checking.
    const name = fc.oneof(
      { arbitrary: fc.constantFrom(...SEARCH_PLACES), weight: 1 },
      { arbitrary: fc.constantFrom('package.json', '.tcssrc.bak', 'tcss.config.json', '.config/other', 'README.md', '.config/tcss.json'), weight: 6 },
    );
    const files = (names: fc.Arbitrary<string>) => fc.uniqueArray(fc.tuple(names, content), { maxLength: 2, selector: ([n]) => n });
    const tree = fc.record({
      dirs: fc.record({ b: files(name), a: files(name), home: files(name), above: files(name) }),
      global: files(fc.oneof({ arbitrary: fc.constantFrom(...GLOBAL_SEARCH_PLACES), weight: 1 }, { arbitrary: fc.constantFrom('config.bak', 'other.json'), weight: 4 })),
      meta: files(fc.constantFrom('package.json', '.config/config.json', '.config/other.json', 'README.md')),
    });
    let saidNo = 0;
    let saidMaybe = 0;
    await fc.assert(
      fc.asyncProperty(tree, async (t) => {
        try {
          const where = layout(t as Tree);
          if (configMayExist(where)) {
            saidMaybe += 1;
            return;
          }
          saidNo += 1;
          await expect(cosmiconfigFinds(where.cwd, where.stopDir)).resolves.toBeNull();
        } finally {
          process.chdir(previousCwd);
          rmSync(root, { recursive: true, force: true });
        }
      }),
      { numRuns: 150 },
    );
    // Both answers must actually occur, or the property says nothing.
    expect(saidNo).toBeGreaterThan(10);
    expect(saidMaybe).toBeGreaterThan(10);
  });
});
