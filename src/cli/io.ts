/**
 * The process's streams as values, so `main` can run in a test, and a redacting writer so that a secret
 * that reaches any output by mistake is replaced before it is written.
 */
import type { Env } from '../core/env.js';

export interface OutStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface InStream {
  isTTY?: boolean;
}

export interface IO {
  stdout: OutStream;
  stderr: OutStream;
  stdin: InStream;
}

/** Writes through to a stream, replacing every registered secret with `<redacted>`. */
export class RedactingWriter {
  readonly #secrets: string[];
  readonly #target: OutStream;

  constructor(target: OutStream, secrets: string[]) {
    this.#target = target;
    this.#secrets = secrets;
  }

  get isTTY(): boolean {
    return this.#target.isTTY === true;
  }

  get columns(): number {
    // 0 from a terminal that reports no size (a pty nobody sized): as if 80.
    return this.#target.columns || 80;
  }

  write(chunk: string): void {
    let text = chunk;
    for (const secret of this.#secrets) if (secret.length >= 4) text = text.split(secret).join('<redacted>');
    this.#target.write(text);
  }
}

/** The styles tcss prints with: chalk's when colour is on, the text unchanged when it is off. */
export interface Palette {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
}

const unchanged = (text: string): string => text;
/** No colour: chalk is not even loaded (it loads node:tty and node:os to look at the terminal). */
const PLAIN: Palette = { bold: unchanged, dim: unchanged, red: unchanged, green: unchanged, yellow: unchanged };

async function palette(level: 0 | 1): Promise<Palette> {
  if (level === 0) return PLAIN;
  const { Chalk } = await import('chalk');
  return new Chalk({ level });
}

/** The output side of a run: redacting writers, colours, and the secrets to hide. */
export interface Terminal {
  out: RedactingWriter;
  err: RedactingWriter;
  /** Colours for stdout / stderr (PLAIN when off). */
  outColor: Palette;
  errColor: Palette;
  /** Registers a value that must never be printed. */
  addSecret(value: string | undefined): void;
  stdinIsTTY: boolean;
}

/** Colour on a TTY unless NO_COLOR / --no-color / TERM=dumb; FORCE_COLOR turns it on. */
export function colorLevel(stream: OutStream, env: Env, noColorFlag: boolean): 0 | 1 {
  if (noColorFlag || (env.NO_COLOR !== undefined && env.NO_COLOR !== '')) return 0;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return 1;
  if (env.TERM === 'dumb') return 0;
  return stream.isTTY ? 1 : 0;
}

export async function createTerminal(io: IO, env: Env, noColorFlag: boolean): Promise<Terminal> {
  const secrets: string[] = [];
  return {
    out: new RedactingWriter(io.stdout, secrets),
    err: new RedactingWriter(io.stderr, secrets),
    outColor: await palette(colorLevel(io.stdout, env, noColorFlag)),
    errColor: await palette(colorLevel(io.stderr, env, noColorFlag)),
    addSecret(value) {
      if (value && !secrets.includes(value)) secrets.push(value);
    },
    // Read on first use: see src/cli.ts.
    get stdinIsTTY() {
      return io.stdin.isTTY === true;
    },
  };
}
