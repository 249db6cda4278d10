/**
 * Error types with stable codes, and the one exit-code table (README.md and docs/commands.md, "Exit codes"). Only `main.ts` turns an
 * error into an exit code; the core throws these and never prints.
 */

/** Documented process exit codes. */
export const ExitCode = {
  /** Success (and `--dry-run`). */
  Ok: 0,
  /** An unexpected internal error: a bug in tcss. */
  Internal: 1,
  /** Usage, validation, configuration or credential problem. Nothing was sent. */
  Usage: 2,
  /** The API answered with an error. */
  Api: 3,
  /** No valid answer: network, timeout, TLS, or a response that is not the API's JSON. */
  Network: 4,
  /** `--check` / `diff`: the account differs from the desired settings. */
  Drift: 5,
  /** Interrupted (Ctrl-C, Escape in the wizard). */
  Interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface TcssErrorOptions {
  /** A next step for the user, printed on its own line. */
  hint?: string;
  cause?: unknown;
}

/** Base class: every error tcss raises on purpose. */
export abstract class TcssError extends Error {
  abstract readonly exitCode: ExitCodeValue;
  /** Stable machine-readable code, e.g. `Usage.InvalidValue`, `Network.Timeout`, or the API's own code. */
  readonly code: string;
  readonly hint: string | undefined;

  constructor(code: string, message: string, options: TcssErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
  }
}

/** Bad flags, bad values, bad config, missing credentials: exit 2, and nothing was sent. */
export class UsageError extends TcssError {
  override readonly name = 'UsageError';
  readonly exitCode = ExitCode.Usage;
}

/** The API answered `{"Response":{"Error":…}}`: exit 3. */
export class ApiError extends TcssError {
  override readonly name = 'ApiError';
  readonly exitCode = ExitCode.Api;
  readonly requestId: string | undefined;
  /** The action that was refused, for hints (e.g. which CAM permission is missing). */
  action: string | undefined;

  constructor(code: string, message: string, requestId: string | undefined, options: TcssErrorOptions & { action?: string } = {}) {
    super(code, message, options);
    this.requestId = requestId;
    this.action = options.action;
  }
}

/** No valid answer from the API (network, timeout, TLS, not the API's JSON): exit 4. */
export class NetworkError extends TcssError {
  override readonly name = 'NetworkError';
  readonly exitCode = ExitCode.Network;
}

/** The user interrupted: exit 130, nothing (more) is sent. */
export class InterruptedError extends TcssError {
  override readonly name = 'InterruptedError';
  readonly exitCode = ExitCode.Interrupted;

  constructor(message = 'Interrupted; nothing was sent.', options: TcssErrorOptions = {}) {
    super('Interrupted', message, options);
  }
}

/** Settings differ from the desired state (`--check`, `diff`): exit 5. */
export class DriftError extends TcssError {
  override readonly name = 'DriftError';
  readonly exitCode = ExitCode.Drift;
}
