/**
 * The process's streams as values, so `main` can run in a test, and a redacting writer so that a secret
 * that reaches any output by mistake is replaced before it is written.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { Env } from '../core/credentials.js';

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
    return this.#target.columns ?? 80;
  }

  write(chunk: string): void {
    let text = chunk;
    for (const secret of this.#secrets) if (secret.length >= 4) text = text.split(secret).join('<redacted>');
    this.#target.write(text);
  }
}

/** The output side of a run: redacting writers, colours, and the secrets to hide. */
export interface Terminal {
  out: RedactingWriter;
  err: RedactingWriter;
  /** Colours for stdout / stderr (level 0 when off). */
  outColor: ChalkInstance;
  errColor: ChalkInstance;
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

export function createTerminal(io: IO, env: Env, noColorFlag: boolean): Terminal {
  const secrets: string[] = [];
  return {
    out: new RedactingWriter(io.stdout, secrets),
    err: new RedactingWriter(io.stderr, secrets),
    outColor: new Chalk({ level: colorLevel(io.stdout, env, noColorFlag) }),
    errColor: new Chalk({ level: colorLevel(io.stderr, env, noColorFlag) }),
    addSecret(value) {
      if (value && !secrets.includes(value)) secrets.push(value);
    },
    // Read on first use: see src/cli.ts.
    get stdinIsTTY() {
      return io.stdin.isTTY === true;
    },
  };
}
