/**
 * When to try an API call again, and how long to wait: exponential backoff with full jitter, bounded by a total
 * deadline and abortable by the interrupt signal. Pure except for the injected sleep and clocks.
 *
 * Retried (the answer can change): RequestLimitExceeded and its variants, ServiceUnavailable, HTTP 5xx and 429,
 * connection refused or reset, and timeouts. Everything else fails at once: InvalidParameter*, MissingParameter,
 * AuthFailure.* (SignatureExpire has its own one-time clock correction, see clock.ts), UnauthorizedOperation, TLS
 * problems, redirects, answers that are not the API's JSON. CreateAssetImageScanSetting sets absolute values, so
 * sending it twice is harmless (docs/api.md#responses-and-errors).
 */
import { ApiError, InterruptedError, NetworkError, UsageError } from '../errors.js';
import { sleep } from './sleep.js';
import type { Env } from '../env.js';
import { monotonicMs } from '../http/index.js';

/** Backoff before retry n (1-based) is uniform in [0, min(cap, base × 2^(n-1))). */
export const DEFAULT_RETRY_BASE_MS = 1000;
export const RETRY_CAP_MS = 20_000;

const RETRIED_NETWORK_CODES = new Set(['Network.Timeout', 'Network.Refused', 'Network.Reset']);

/**
 * Why this failure is worth another attempt (a short label for --debug), or undefined when it will not change.
 * `status` is the HTTP status of the answer that failed, when there was one.
 */
export function retryReason(error: unknown, status?: number): string | undefined {
  if (error instanceof ApiError) {
    if (/^RequestLimitExceeded(\.|$)/.test(error.code) || error.code === 'ServiceUnavailable') return error.code;
    return undefined;
  }
  if (error instanceof NetworkError) {
    if (RETRIED_NETWORK_CODES.has(error.code)) return error.code;
    if ((error.code === 'Network.BadStatus' || error.code === 'Network.Proxy') && status !== undefined && (status >= 500 || status === 429)) {
      return `HTTP ${status}`;
    }
  }
  return undefined;
}

/** Full jitter: a uniformly random wait below the exponential ceiling. `random` returns [0, 1). */
export function backoffMs(retry: number, baseMs: number, random: () => number, capMs = RETRY_CAP_MS): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/**
 * The total deadline of one call, retries and waits included: every attempt's --timeout plus every longest wait.
 * A wait that would end past it is not taken; the last error is reported instead.
 */
export function totalDeadlineMs(timeoutMs: number, retries: number, baseMs: number, capMs = RETRY_CAP_MS): number {
  let waits = 0;
  for (let n = 1; n <= retries; n += 1) waits += Math.min(capMs, baseMs * 2 ** (n - 1));
  return timeoutMs * (retries + 1) + waits;
}

/** The backoff base: TCSS_RETRY_BASE_MS (whole milliseconds, 0 to 60000) or the default. */
export function retryBaseMs(env: Env): number {
  const raw = env.TCSS_RETRY_BASE_MS;
  if (raw === undefined || raw.trim() === '') return DEFAULT_RETRY_BASE_MS;
  const text = raw.trim();
  if (!/^\d{1,5}$/.test(text) || Number(text) > 60_000) {
    throw new UsageError('Usage.InvalidValue', `TCSS_RETRY_BASE_MS ${JSON.stringify(raw.slice(0, 20))} is not valid: use whole milliseconds from 0 to 60000`);
  }
  return Number(text);
}

/** Waits `ms`, or rejects with InterruptedError as soon as `signal` aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return sleep(ms, signal, 'Interrupted while waiting to retry; nothing more was sent.');
}

export interface RetryLoopOptions {
  /** Retries after the first attempt. */
  retries: number;
  baseMs: number;
  /** Monotonic milliseconds at which no further attempt or wait may start. */
  deadline: number;
  signal?: AbortSignal;
  debug?: (line: string) => void;
  /** Injected for tests: [0, 1). */
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Monotonic clock in ms. */
  monotonic?: () => number;
}

/** A failed attempt: the error, and the HTTP status of the answer when there was one. */
export interface AttemptFailure {
  error: unknown;
  status?: number | undefined;
  /** The answer's `Date` header, for the clock-skew correction. */
  date?: string | string[] | undefined;
}

/** Thrown by an attempt so the loop can see the HTTP status behind an error. */
export class AttemptError extends Error {
  readonly failure: AttemptFailure;

  constructor(failure: AttemptFailure) {
    super('attempt failed');
    this.failure = failure;
  }
}

/** Adds how many attempts were made to the final error, keeping its type, code, hint and request ID. */
export function withAttempts(error: unknown, attempts: number, why: string): unknown {
  if (attempts < 2) return error;
  const note = `; gave up after ${attempts} attempts${why}`;
  if (error instanceof ApiError) return new ApiError(error.code, `${error.message.replace(/[.\s]+$/, '')}${note}`, error.requestId, { hint: error.hint, cause: error, action: error.action });
  if (error instanceof NetworkError) return new NetworkError(error.code, `${error.message}${note}`, { hint: error.hint, cause: error });
  return error;
}

/**
 * Runs `attempt` (1-based attempt number, ms left before the deadline) until it succeeds, fails with an error that
 * will not change, runs out of retries, or the next wait would pass the deadline.
 */
export async function runWithRetries<T>(attempt: (n: number, remainingMs: number) => Promise<T>, options: RetryLoopOptions): Promise<T> {
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? abortableSleep;
  const monotonic = options.monotonic ?? monotonicMs;
  const total = options.retries + 1;
  for (let n = 1; ; n += 1) {
    let failure: AttemptFailure;
    try {
      return await attempt(n, options.deadline - monotonic());
    } catch (caught) {
      failure = caught instanceof AttemptError ? caught.failure : { error: caught };
    }
    const { error } = failure;
    if (error instanceof InterruptedError || error instanceof UsageError || options.signal?.aborted) throw error;
    const reason = retryReason(error, failure.status);
    if (reason === undefined) {
      if (n > 1) options.debug?.(`attempt ${n}/${total} failed with ${(error as { code?: string }).code ?? 'an error'}, which will not change: not retrying`);
      throw withAttempts(error, n, '');
    }
    if (n >= total) throw withAttempts(error, n, '');
    const wait = backoffMs(n, options.baseMs, random);
    const remaining = options.deadline - monotonic();
    if (wait >= remaining) {
      options.debug?.(`not retrying after ${reason}: the total deadline is ${Math.max(0, Math.round(remaining))} ms away`);
      throw withAttempts(error, n, ' (total deadline reached)');
    }
    options.debug?.(`attempt ${n + 1}/${total} after ${reason}, waiting ${wait} ms`);
    await sleep(wait, options.signal);
  }
}
