/**
 * What a run of the built binary loaded, as project-relative source paths (docs/performance.md). The binary
 * runs with test/helpers/module-recorder.cjs preloaded; its log names the files and built-ins required, and
 * every function of dist/tcss.cjs with how often it ran. esbuild wraps a module that loads on demand in a
 * function (`var init_x = __esm(() => {…})`, `var require_y = __commonJS((exports, module) => {…})`); the
 * script is minified, so those wrappers are found through the build's source map, which names each wrapper's
 * variable (`init_x`, `require_y`) at a place it gives to the module. Such a module counts as loaded when its
 * wrapper ran; every other module of the script runs when the script loads.
 */
import { execa } from 'execa';
import { readFile, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourcePath } from '../../src/cli/stack.js';
import { BIN, ROOT, cleanEnv } from './cli.js';

export const RECORDER = join(ROOT, 'test', 'helpers', 'module-recorder.cjs');
const SCRIPT = 'dist/tcss.cjs';

interface ScriptModules {
  /** Every source bundled into dist/tcss.cjs. */
  all: string[];
  /** The modules esbuild wrapped, run on first use: where the wrapper's variable is (a character offset). */
  wrappers: { offset: number; source: string }[];
}

let scriptModules: Promise<ScriptModules> | undefined;

/** A wrapper's declaration as the minified script writes it: a variable given a call with a function. */
const WRAPPER = /^[\w$]+=[\w$]+\((?:\(\)|[\w$]+|\([\w$,]*\))=>\{/;

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The script's modules, from the build's source map (read once per test file). */
function readScriptModules(): Promise<ScriptModules> {
  scriptModules ??= (async () => {
    const code = await readFile(join(ROOT, SCRIPT), 'utf8');
    const map = JSON.parse(await readFile(join(ROOT, `${SCRIPT}.map`), 'utf8')) as { sources: string[]; names: string[]; mappings: string };
    const lineStarts = [0];
    for (let i = code.indexOf('\n'); i >= 0; i = code.indexOf('\n', i + 1)) lineStarts.push(i + 1);
    const wrappers: ScriptModules['wrappers'] = [];
    let source = 0;
    let name = 0;
    map.mappings.split(';').forEach((line, lineIndex) => {
      let column = 0;
      for (const segment of line.split(',').filter(Boolean)) {
        // Base64 VLQ: the generated column, then source, original line and column, and name, each relative.
        const fields: number[] = [];
        let value = 0;
        let shift = 0;
        for (const char of segment) {
          const digit = BASE64.indexOf(char);
          value += (digit & 31) << shift;
          if (digit & 32) shift += 5;
          else {
            fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
            value = 0;
            shift = 0;
          }
        }
        column += fields[0]!;
        if (fields.length < 4) continue;
        source += fields[1]!;
        if (fields.length < 5) continue;
        name += fields[4]!;
        const offset = lineStarts[lineIndex]! + column;
        // The wrapper's declaration (`N=C(()=>{`, `rr=U((cs)=>{`), not a call of it (`N()`) elsewhere.
        if (/^(init|require)_/.test(map.names[name]!) && WRAPPER.test(code.slice(offset, offset + 80))) wrappers.push({ offset, source: sourcePath(map.sources[source]!) });
      }
    });
    if (wrappers.length === 0) throw new Error(`${SCRIPT}.map names no module wrapper: has the build changed?`);
    return { all: map.sources.map(sourcePath), wrappers };
  })();
  return scriptModules;
}

/** The modules of the script that ran, from the recorder's `fn:` lines: each wrapper is the first function after its variable. */
async function scriptSources(functions: { start: number; count: number }[]): Promise<Set<string>> {
  const { all, wrappers } = await readScriptModules();
  const starts = [...functions].sort((a, b) => a.start - b.start);
  const wrapped = new Set(wrappers.map((w) => w.source));
  const ran = new Set(all.filter((source) => !wrapped.has(source)));
  for (const wrapper of wrappers) {
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (starts[middle]!.start <= wrapper.offset) low = middle + 1;
      else high = middle;
    }
    if ((starts[low]?.count ?? 0) > 0) ran.add(wrapper.source);
  }
  return ran;
}

/** A function of dist/tcss.cjs: its character offsets in the script and how often it ran. */
export interface ScriptFunction {
  start: number;
  end: number;
  count: number;
}

/** Turns a recorder log into the set of sources, built-ins (`node:x`) and process getters it shows. */
export async function sourcesFromLog(log: string): Promise<Set<string>> {
  return (await readLog(log)).sources;
}

async function readLog(log: string): Promise<{ sources: Set<string>; functions: ScriptFunction[] }> {
  const sources = new Set<string>();
  const functions: ScriptFunction[] = [];
  let script = false;
  for (const line of log.split('\n').filter(Boolean)) {
    if (line.startsWith('coverage-error:')) throw new Error(`module recorder: ${line}`);
    if (line.startsWith('node:') || line.startsWith('process.')) sources.add(line);
    else if (line.startsWith('fn:')) {
      const [start, end, count] = line.slice('fn:'.length).split(':').map(Number) as [number, number, number];
      functions.push({ start, end, count });
    } else if (line.startsWith('file:') || line.startsWith('script:')) {
      const path = line.startsWith('script:') ? line.slice('script:'.length) : relative(ROOT, fileURLToPath(line)).split('\\').join('/');
      sources.add(path);
      if (path === SCRIPT) script = true;
    }
  }
  if (script) for (const source of await scriptSources(functions)) sources.add(source);
  return { sources, functions };
}

/** The innermost function of the script that holds `offset`, from a recorded run (undefined if none does). */
export function functionAt(functions: ScriptFunction[], offset: number): ScriptFunction | undefined {
  let best: ScriptFunction | undefined;
  for (const fn of functions) if (fn.start <= offset && offset < fn.end && (!best || fn.end - fn.start < best.end - best.start)) best = fn;
  return best;
}

/** The text of dist/tcss.cjs, whose character offsets the recorded functions use. */
export function scriptText(): Promise<string> {
  return readFile(join(ROOT, SCRIPT), 'utf8');
}

export interface Recorded {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  /** Project-relative source paths whose code the process loaded or ran, `node:` built-ins and process getters. */
  sources: Set<string>;
  /** Every function of dist/tcss.cjs, when the script ran. */
  functions: ScriptFunction[];
}

let runs = 0;

/** Runs the built binary with the recorder preloaded, in `cwd`, with a clean environment plus `env`. */
export async function recordRun(args: string[], options: { home: string; cwd?: string; env?: Record<string, string> }): Promise<Recorded> {
  const log = join(options.home, `modules-${process.pid}-${++runs}.log`);
  const result = await execa('node', ['--require', RECORDER, BIN, ...args], {
    env: cleanEnv(options.home, { ...options.env, TCSS_MODULE_LOG: log }),
    extendEnv: false,
    cwd: options.cwd ?? options.home,
    input: '',
    reject: false,
    timeout: 15_000,
    stripFinalNewline: false,
  });
  const text = await readFile(log, 'utf8').catch(() => '');
  await rm(log, { force: true });
  return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr), ...(await readLog(text)) };
}
