/**
 * What the transport leaves behind in the process, for bin/tcss.js to know after a command (through
 * `finish` in src/cli.ts) before it records a V8 code cache: how many requests were answered, and V8's flags.
 * No imports: src/cli.ts loads it after every command.
 *
 * undici parses HTTP with llhttp compiled to WebAssembly. V8 compiles it fast with its baseline compiler
 * (Liftoff), then re-compiles hot functions with TurboFan in the background, and that tier-up keeps a
 * one-request process alive for 100+ ms after the answer is read, using a second core and ~30 MB. A CLI
 * parses a few small answers: baseline code is plenty. So the build has undici compile its parser through
 * withBaselineWasm (scripts/build.js), which sets `--liftoff-only` first.
 *
 * V8 stamps every code cache with its flags and refuses one recorded under others, Node's cache of its own
 * built-in modules included; so the flag is set as late as it can be, when the first connection is made, and
 * set back (with the flags it implies) when the command is done (restoreV8Flags), before bin/tcss.js records a code
 * cache. It must stay set while the parser runs: set back earlier, V8 tiers the parser up after all. The flags
 * exist in the V8 of Node 20 to 24; on other versions V8 would print a warning, so nothing is set there.
 * node:v8 is loaded only then (process.getBuiltinModule): importing it costs every start-up time.
 */

/** `--liftoff-only` and what it implies, back to their defaults. */
const DEFAULTS = '--no-liftoff-only --liftoff --wasm-tier-up --wasm-dynamic-tiering';

let changed = false;

/** Whether this Node's V8 has the flag (checked on 20, 22 and 24). */
export function hasBaselineFlag(nodeVersion = process.versions.node): boolean {
  const major = Number(nodeVersion.split('.')[0]);
  return major >= 20 && major <= 24;
}

/** Runs `compile` (which compiles WebAssembly) with V8's baseline compiler only, until restoreV8Flags. */
export function withBaselineWasm<T>(compile: () => T, nodeVersion = process.versions.node): T {
  if (hasBaselineFlag(nodeVersion)) {
    process.getBuiltinModule('node:v8').setFlagsFromString('--liftoff-only');
    changed = true;
  }
  return compile();
}

/** Sets V8's flags back to what they were before withBaselineWasm, if it changed them. */
export function restoreV8Flags(): void {
  if (!changed) return;
  changed = false;
  process.getBuiltinModule('node:v8').setFlagsFromString(DEFAULTS);
}

let answered = 0;

/** Counts a request that got an answer (its status and headers, at least). */
export function noteAnswered(): void {
  answered += 1;
}

/**
 * How many requests this process has had answered: a code cache recorded by a run that had none lacks the
 * network code, and bin/tcss.js records it again after the first run that has one (docs/performance.md).
 */
export function requestsAnswered(): number {
  return answered;
}
