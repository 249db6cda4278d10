/**
 * `--debug` stack traces in terms of the sources. dist/tcss.cjs is minified (scripts/build.js, and
 * docs/performance.md says why), so a frame in it says little: `at Qe (tcss/dist/tcss.cjs:3:81234)`. Under
 * `--debug`, each such frame is looked up in the build's source map (dist/tcss.cjs.map) and shown at its source
 * file, line and column, with the function's name from the map where it has one, the way Node's own
 * `--enable-source-maps` shows them: `at toNetworkError (src/core/http/transport.ts:98:12)`. Frames elsewhere
 * (Node's own, the vendor bundles) are left as V8 writes them.
 *
 * The map is read only when a stack is first shown, and only when it belongs to the very build that runs. Any
 * problem with it (missing, too large, another build's, unreadable) leaves every stack as V8 writes it.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { SourceMap } from 'node:module';

/** The name bin/tcss.js compiles the script under (stack traces show it, wherever the package is installed). */
export const SCRIPT_NAME = 'tcss/dist/tcss.cjs';

/** The largest map read (the build's is ~0.5 MB). */
const MAX_MAP_BYTES = 16 * 1024 * 1024;

export interface SourceMapFile {
  /** dist/tcss.cjs.map. */
  file: string;
  /**
   * dist/tcss.cjs itself: the build it is (its first line, `// tcss build <id>`), which the map must name, and
   * where a function's name is read from when its frame starts at a keyword.
   */
  script: string;
}

/** A regular file's text, when it is no larger than `limit`; undefined otherwise. */
function readBounded(path: string, limit: number): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > limit) return undefined;
    const bytes = Buffer.alloc(stat.size);
    let length = 0;
    for (let read = -1; length < bytes.length && read !== 0; length += read) read = readSync(fd, bytes, length, bytes.length - length, length);
    return bytes.subarray(0, length).toString('utf8');
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

interface Mapped {
  map: SourceMap;
  /** The script's lines (1-based line n is lines[n - 1]). */
  lines: string[];
}

/** The map and the script, when the map names the build the script is; else undefined. */
export function readSourceMap({ file, script }: SourceMapFile): Mapped | undefined {
  try {
    const code = readBounded(script, MAX_MAP_BYTES);
    const build = code === undefined ? undefined : /^\/\/ tcss build ([0-9a-f]{64})\n/.exec(code)?.[1];
    const text = build === undefined ? undefined : readBounded(file, MAX_MAP_BYTES);
    const payload = text === undefined ? undefined : (JSON.parse(text) as { x_tcss_build?: unknown });
    if (code === undefined || payload === undefined || payload.x_tcss_build !== build) return undefined;
    return { map: new SourceMap(payload as ConstructorParameters<typeof SourceMap>[0]), lines: code.split('\n') };
  } catch {
    return undefined;
  }
}

/** A source as the map names it, relative to dist/ (`../src/cli.ts`), as the project names it (`src/cli.ts`). */
export function sourcePath(source: string): string {
  return source.replace(/^(?:\.\.\/)+/, '');
}

/** What the map says is at this 1-based line and column of the script, if anything. */
interface Entry {
  generatedColumn?: number;
  originalSource?: string;
  originalLine?: number;
  originalColumn?: number;
  name?: string;
}

function entryAt(map: SourceMap, line: number | null, column: number | null): Entry | undefined {
  if (line === null || column === null) return undefined;
  const entry = map.findEntry(line - 1, column - 1) as Entry;
  return entry.originalSource === undefined ? undefined : entry;
}

/** A function's keyword before its name, as the minified script writes it. */
const FUNCTION_KEYWORD = /^(?:async )?function ?\*? ?/;

/**
 * The function's name in the sources: the map's name at the start of the enclosing function (a method's name),
 * or at the name after its `function` keyword; else the name the calling frame used to call it.
 */
function originalName({ map, lines }: Mapped, frames: readonly NodeJS.CallSite[], index: number): string | undefined {
  const frame = frames[index]!;
  const line = frame.getEnclosingLineNumber();
  const column = frame.getEnclosingColumnNumber();
  if (line !== null && column !== null) {
    const enclosing = entryAt(map, line, column);
    if (enclosing?.name && enclosing.generatedColumn === column - 1) return enclosing.name;
    const keyword = FUNCTION_KEYWORD.exec((lines[line - 1] ?? '').slice(column - 1, column + 16))?.[0];
    const named = keyword ? entryAt(map, line, column + keyword.length) : undefined;
    if (keyword && named?.name && named.generatedColumn === column - 1 + keyword.length) return named.name;
  }
  const caller = frames[index + 1];
  if (caller?.getFileName() !== SCRIPT_NAME) return undefined;
  const call = entryAt(map, caller.getLineNumber(), caller.getColumnNumber());
  return call?.generatedColumn === (caller.getColumnNumber() ?? 0) - 1 ? call.name : undefined;
}

/** One frame: in the sources' terms when it is in the script and the map knows the place, else as V8 writes it. */
function frameText(mapped: Mapped, frames: readonly NodeJS.CallSite[], index: number): string {
  const frame = frames[index]!;
  const entry = frame.getFileName() === SCRIPT_NAME ? entryAt(mapped.map, frame.getLineNumber(), frame.getColumnNumber()) : undefined;
  if (!entry) return `    at ${frame.toString()}`;
  const where = `${sourcePath(entry.originalSource!)}:${entry.originalLine! + 1}:${entry.originalColumn! + 1}`;
  const name = originalName(mapped, frames, index) ?? frame.getFunctionName() ?? undefined;
  const kind = `${frame.isAsync() ? 'async ' : ''}${frame.isConstructor() ? 'new ' : ''}`;
  return name ? `    at ${kind}${name} (${where})` : `    at ${kind}${where}`;
}

/** The first line of a stack, as V8 writes it: `Name: message`. */
function headline(error: unknown): string {
  try {
    return error instanceof Error ? Error.prototype.toString.call(error) : String(error);
  } catch {
    return '<error>';
  }
}

/**
 * From now on, stack traces of errors made in this process show the script's frames in the sources' terms
 * (above). For `--debug` only: other runs never read the map, and their stacks are never shown.
 */
export function useSourceMappedStacks(source: SourceMapFile): void {
  let mapped: Mapped | undefined | null = null;
  Error.prepareStackTrace = (error, frames) => {
    const plain = (): string => `${headline(error)}${frames.map((frame) => `\n    at ${frame.toString()}`).join('')}`;
    try {
      if (mapped === null) mapped = readSourceMap(source);
      if (mapped === undefined) return plain();
      const known = mapped;
      return `${headline(error)}${frames.map((_, index) => `\n${frameText(known, frames, index)}`).join('')}`;
    } catch {
      return plain();
    }
  };
}
