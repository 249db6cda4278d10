/**
 * One API call as a command makes it: through the proxy that applies, signed afresh for every attempt, retried on
 * transient failures (retry.ts), corrected once for clock skew (clock.ts), and bounded by a total deadline and the
 * interrupt signal. Never prints: debug lines and the clock warning go to the callbacks given.
 */
import { ACTION_CREATE, type ApiResponse } from '../api-model.js';
import { callApi, type ApiCall } from './client.js';
import { clockOffsetMs, describeSkew, monotonicMs, parseHttpDate } from '../http/index.js';
import { ApiError, InterruptedError, NetworkError } from '../errors.js';
import { redactProxyUrl, type ProxyChoice } from '../http/index.js';
import { AttemptError, runWithRetries, totalDeadlineMs } from './retry.js';
import type { HttpResponse } from '../http/index.js';
import type { Dispatcher } from 'undici';

export interface ReliableCallOptions {
  /** Per attempt: bounds connect, headers and body, each. */
  timeoutMs: number;
  /** Retries after the first attempt. */
  retries: number;
  retryBaseMs: number;
  proxy?: ProxyChoice;
  /** Aborted on SIGINT: the request in flight is aborted and nothing more is sent. */
  signal?: AbortSignal;
  /** Wall clock (Unix ms) used to sign each attempt. */
  clock: () => number;
  debug?: (line: string) => void;
  /**
   * Awaited before every request goes out (each retry and the clock-corrected resend too), outside the attempt's
   * timeout: e.g. a shared rate limit. It gets the interrupt signal; what it throws ends the call.
   */
  beforeAttempt?: (signal?: AbortSignal) => Promise<void>;
  /**
   * Shared by the calls of one run: a clock offset learned by one call signs the next ones, so a skewed clock
   * costs one warning and one refused request per run, not per call (many accounts, the wizard's read and write).
   */
  skew?: { offsetMs?: number };
  /** A line the user should see even without --debug (clock skew). */
  warn?: (line: string) => void;
  /** Tests: a dispatcher to use instead of a fresh one (or the proxy agent). */
  dispatcher?: Dispatcher;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  monotonic?: () => number;
}

const PROXY_STATUS_RE = /Proxy response \((\d{3})\)/;

/** Says that a failure happened at the proxy, when it did. */
function proxyError(error: NetworkError, proxy: ProxyChoice, target: string): { error: NetworkError; status?: number } {
  const cause = error.cause as { message?: string } | undefined;
  const shown = redactProxyUrl(proxy.url);
  const status = PROXY_STATUS_RE.exec(cause?.message ?? '')?.[1];
  if (status !== undefined) {
    const hint =
      status === '407'
        ? 'the proxy wants credentials: give them in the proxy URL, http://USER:PASSWORD@HOST:PORT'
        : `check the proxy (from ${proxy.from}), or list the host in NO_PROXY to go direct`;
    return { error: new NetworkError('Network.Proxy', `the proxy ${shown} answered HTTP ${status} to CONNECT ${target}`, { hint, cause: error }), status: Number(status) };
  }
  if (error.code === 'Network.Refused' || error.code === 'Network.DNS') {
    const what = error.code === 'Network.Refused' ? 'refused the connection' : 'could not be resolved';
    return { error: new NetworkError(error.code, `the proxy ${shown} ${what}`, { hint: `check the proxy (from ${proxy.from})`, cause: error }) };
  }
  return { error: new NetworkError(error.code, `${error.message} (through the proxy ${shown})`, { hint: error.hint, cause: error }) };
}

/** The API refuses timestamps more than 300 s off; a skew this large explains a refusal (rounding aside). */
const SKEW_WORTH_CORRECTING_MS = 290_000;

/** Sends `call` (signed at each attempt with the clock) until it succeeds or fails for good. */
export async function callApiReliably(call: Omit<ApiCall, 'now'>, options: ReliableCallOptions): Promise<ApiResponse> {
  const { timeoutMs, debug } = options;
  const monotonic = options.monotonic ?? monotonicMs;
  const target = new URL(call.endpoint.url).host;
  const deadlineMs = totalDeadlineMs(timeoutMs, options.retries, options.retryBaseMs);
  const deadline = monotonic() + deadlineMs;
  let dispatcher = options.dispatcher;
  let owned: Dispatcher | undefined;
  let offsetMs = options.skew?.offsetMs ?? 0;
  let corrected = options.skew?.offsetMs !== undefined;

  const sendOnce = async (): Promise<ApiResponse> => {
    if (options.beforeAttempt) {
      try {
        await options.beforeAttempt(options.signal);
        if (options.signal?.aborted) throw new InterruptedError();
      } catch (error) {
        throw new AttemptError({ error });
      }
    }
    let answer: HttpResponse | undefined;
    // undici's header and body timers are coarse (about a second); this one is exact and also bounds what they
    // cannot see: a body that trickles in, a stalled proxy. The attempt as a whole gets --timeout.
    const expired = new AbortController();
    const timer = setTimeout(() => expired.abort(), timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, expired.signal]) : expired.signal;
    try {
      const pending = callApi(
        { ...call, now: options.clock() + offsetMs },
        { timeoutMs: timeoutMs, signal, dispatcher, debug, onResponse: (res) => (answer = res) },
      );
      // undici honours the abort at once once a connection is up, but not while a proxy tunnel is still being
      // opened: the attempt ends when the signal fires, and the request left behind is dropped with the dispatcher.
      pending.catch(() => undefined);
      return await Promise.race([pending, abortedBy(signal)]);
    } catch (caught) {
      let error = caught;
      let status = answer?.status;
      if (error instanceof InterruptedError && !options.signal?.aborted && expired.signal.aborted) {
        error = new NetworkError('Network.Timeout', `no complete answer from ${target} within ${timeoutMs / 1000}s`, {
          hint: 'try again, or raise --timeout',
          cause: caught,
        });
      } else if (error instanceof InterruptedError && options.signal?.aborted && call.action === ACTION_CREATE) {
        // The request had left: the service may have applied it before the connection was dropped.
        error = new InterruptedError('Interrupted; the request was aborted, but the service may have applied it already.', {
          hint: 'check with "tcss image-scan get" (or "tcss image-scan diff -f FILE")',
          cause: caught,
        });
      } else if (error instanceof NetworkError && options.proxy && answer === undefined) {
        const refined = proxyError(error, options.proxy, target);
        error = refined.error;
        status = refined.status;
      }
      throw new AttemptError({ error, status, date: answer?.headers.date });
    } finally {
      clearTimeout(timer);
    }
  };

  const isExpired = (caught: unknown): caught is AttemptError => {
    const error = (caught as AttemptError).failure?.error;
    return error instanceof ApiError && error.code === 'AuthFailure.SignatureExpire';
  };
  const withHint = (caught: AttemptError, hint: string): AttemptError => {
    const error = caught.failure.error as ApiError;
    return new AttemptError({ ...caught.failure, error: new ApiError(error.code, error.message, error.requestId, { hint, cause: error, action: error.action }) });
  };

  const refusedToo = (): string =>
    `${describeSkew(offsetMs)}, and the request signed with the server's time was refused too: fix this machine's clock (e.g. enable NTP)`;

  const attempt = async (): Promise<ApiResponse> => {
    try {
      return await sendOnce();
    } catch (caught) {
      if (!isExpired(caught)) throw caught;
      if (corrected) throw withHint(caught, refusedToo());
      const serverMs = parseHttpDate(caught.failure.date);
      if (serverMs === undefined) throw caught;
      const offset = clockOffsetMs(serverMs, options.clock());
      // Re-signing helps only when the server's Date shows the skew that explains the refusal (more than the
      // 5-minute window, less a little for rounding); otherwise the clock is not the cause.
      if (Math.abs(offset) < SKEW_WORTH_CORRECTING_MS) {
        throw withHint(caught, `${describeSkew(offset)} (by its Date header), so the clock is not the cause: check for a proxy or tool that delays or rewrites requests`);
      }
      corrected = true;
      offsetMs = offset;
      if (options.skew) options.skew.offsetMs = offset;
      options.warn?.(`${describeSkew(offsetMs)} (by its Date header): signing once more with the server's time. Fix this machine's clock (e.g. enable NTP).`);
      debug?.(`AuthFailure.SignatureExpire: re-signing with a clock offset of ${Math.round(offsetMs)} ms`);
      try {
        return await sendOnce();
      } catch (again) {
        if (!isExpired(again)) throw again;
        throw withHint(again, refusedToo());
      }
    }
  };

  try {
    if (dispatcher === undefined && options.proxy) {
      const { createProxyAgent } = await import('../http/proxy-agent.js');
      owned = createProxyAgent(options.proxy.url, timeoutMs);
      dispatcher = owned;
      debug?.(`proxy ${redactProxyUrl(options.proxy.url)} (from ${options.proxy.from})`);
    }
    debug?.(`up to ${options.retries + 1} attempt(s), total deadline ${deadlineMs} ms`);
    const loop: Parameters<typeof runWithRetries>[1] = { retries: options.retries, baseMs: options.retryBaseMs, deadline, monotonic };
    if (options.signal) loop.signal = options.signal;
    if (debug) loop.debug = debug;
    if (options.random) loop.random = options.random;
    if (options.sleep) loop.sleep = options.sleep;
    return await runWithRetries(attempt, loop);
  } finally {
    if (owned) await owned.destroy().catch(() => undefined);
  }
}

/** Rejects with an InterruptedError when `signal` aborts (never settles otherwise). */
function abortedBy(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = (): void => reject(new InterruptedError('Interrupted; the request was aborted.'));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}
