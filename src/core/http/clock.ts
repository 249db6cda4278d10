/**
 * Clock skew: the API refuses a request whose X-TC-Timestamp is more than 5 minutes off its own clock
 * (AuthFailure.SignatureExpire, docs/api.md#signing-tc3-hmac-sha256). The answer's HTTP `Date` header tells the server's time, so the
 * call can be signed once more with a corrected timestamp, and the user told how far off their clock is. Pure.
 */

/** The server's time in ms from an HTTP `Date` header (IMF-fixdate), or undefined if absent or unreadable. */
export function parseHttpDate(value: string | string[] | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || !/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text.trim())) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * How far the server's clock is ahead of ours (negative: behind), in ms. `Date` has whole seconds and is truncated,
 * so the server's time when it answered lies in [date, date + 1 s): take the middle.
 */
export function clockOffsetMs(serverDateMs: number, localNowMs: number): number {
  return serverDateMs + 500 - localNowMs;
}

/** "your clock is 612 s behind the server's" (rounded to whole seconds). */
export function describeSkew(offsetMs: number): string {
  const seconds = Math.round(Math.abs(offsetMs) / 1000);
  if (seconds === 0) return "your clock agrees with the server's to within a second";
  return `your clock is ${seconds} s ${offsetMs > 0 ? 'behind' : 'ahead of'} the server's`;
}

/**
 * Milliseconds on a monotonic clock, for timeouts, backoff and rate limits. From process.hrtime rather than
 * performance.now(): the global `performance` loads node:perf_hooks and eight modules with it on first use,
 * a cost every API call would pay (docs/performance.md).
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
