/**
 * What a run of the built binary loaded, as project-relative source paths (docs/performance.md). The binary
 * runs with test/helpers/module-recorder.cjs preloaded; its log names the files and built-ins required and the
 * modules of dist/tcss.cjs whose code ran. A module of the script that esbuild did not wrap (it runs when the
 * script loads) counts as loaded whenever the script was; the script's modules and which of them esbuild
 * wrapped come from the build's metafile and from the script itself.
 */
import { execa } from 'execa';
import { readFile, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, ROOT, cleanEnv } from './cli.js';

export const RECORDER = join(ROOT, 'test', 'helpers', 'module-recorder.cjs');
const METAFILE = join(ROOT, 'node_modules', '.cache', 'tcss', 'metafile.json');
const SCRIPT = 'dist/tcss.cjs';

interface Metafile {
  outputs: Record<string, { inputs: Record<string, unknown> }>;
}

interface ScriptModules {
  /** Every source bundled into dist/tcss.cjs. */
  all: string[];
  /** Those esbuild wrapped in a function named after the source, run on first use. */
  onDemand: Set<string>;
}

let scriptModules: Promise<ScriptModules> | undefined;

/** The sources of dist/tcss.cjs, read once per test file. */
function readScriptModules(): Promise<ScriptModules> {
  scriptModules ??= (async () => {
    const metafile = JSON.parse(await readFile(METAFILE, 'utf8')) as Metafile;
    const output = metafile.outputs[SCRIPT];
    if (!output) throw new Error(`${SCRIPT} is not in ${METAFILE}: run npm run build`);
    const code = await readFile(join(ROOT, SCRIPT), 'utf8');
    // esbuild's wrappers: `var init_x = __esm({ "src/x.ts"() {` and `var require_y = __commonJS({ "node_modules/y.js"(exports, module) {`.
    const onDemand = new Set([...code.matchAll(/^\s*"((?:src|node_modules)\/[^"]+)"\(/gm)].map((m) => m[1]!));
    return { all: Object.keys(output.inputs), onDemand };
  })();
  return scriptModules;
}

/** Turns a recorder log into the set of sources, built-ins (`node:x`) and process getters it shows. */
export async function sourcesFromLog(log: string): Promise<Set<string>> {
  const modules = await readScriptModules();
  const sources = new Set<string>();
  for (const line of log.split('\n').filter(Boolean)) {
    if (line.startsWith('coverage-error:')) throw new Error(`module recorder: ${line}`);
    if (line.startsWith('node:') || line.startsWith('process.')) sources.add(line);
    else if (line.startsWith('init:')) sources.add(line.slice('init:'.length));
    else if (line.startsWith('file:') || line.startsWith('script:')) {
      const path = line.startsWith('script:') ? line.slice('script:'.length) : relative(ROOT, fileURLToPath(line)).split('\\').join('/');
      sources.add(path);
      if (path === SCRIPT) for (const source of modules.all) if (!modules.onDemand.has(source)) sources.add(source);
    }
  }
  return sources;
}

export interface Recorded {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  /** Project-relative source paths whose code the process loaded or ran, `node:` built-ins and process getters. */
  sources: Set<string>;
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
  return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr), sources: await sourcesFromLog(text) };
}
