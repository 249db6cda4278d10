/**
 * The per-SecretId request rate limit (20 requests/s for these actions, docs/api.md#actions-and-fields): a sliding one-second
 * window over the requests admitted so far. Rejected requests do not count.
 */
export class RateLimiter {
  readonly #limit: number;
  readonly #admitted = new Map<string, number[]>();

  /** `limit` requests per second per key; 0 admits everything. */
  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Records and admits the request at `nowMs`, or returns false when the key is over its limit. */
  admit(key: string, nowMs: number): boolean {
    if (this.#limit <= 0) return true;
    const recent = (this.#admitted.get(key) ?? []).filter((at) => nowMs - at < 1000);
    const admitted = recent.length < this.#limit;
    if (admitted) recent.push(nowMs);
    this.#admitted.set(key, recent);
    return admitted;
  }
}
