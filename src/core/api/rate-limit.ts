/**
 * A client-side rate limit for many-account runs: the API allows 20 requests/s (docs/api.md#actions-and-fields),
 * counted per account, and several profiles may be keys of one account, so tcss keeps all its requests under
 * that together. Callers wait for a slot rather than being refused. The clock and the sleep are injected.
 */
import { InterruptedError } from '../errors.js';
import { sleep } from './sleep.js';
import { monotonicMs } from '../http/index.js';

export interface Clock {
  /** Milliseconds. */
  now(): number;
  /** Resolves after `ms`; rejects when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Requests per second tcss sends at most, all accounts together, leaving headroom under the API's 20. */
export const DEFAULT_RATE_PER_SECOND = 15;
/** Requests that may go at once after a quiet spell. With 15/s, any one-second window holds at most 18. */
export const DEFAULT_BURST = 4;

/** The real clock. */
export const systemClock: Clock = {
  now: monotonicMs,
  sleep: (ms, signal) => sleep(ms, signal),
};

export interface RateLimiterOptions {
  ratePerSecond?: number;
  burst?: number;
  clock?: Clock;
}

/**
 * Generic cell rate algorithm with reservations: each `acquire` takes the next free slot, so concurrent callers
 * are spaced `1000 / rate` ms apart once the burst is used, in the order they asked.
 */
export class RateLimiter {
  readonly #interval: number;
  readonly #tolerance: number;
  readonly #clock: Clock;
  /** Theoretical arrival time of the next request. */
  #tat = -Infinity;

  constructor(options: RateLimiterOptions = {}) {
    const rate = options.ratePerSecond ?? DEFAULT_RATE_PER_SECOND;
    const burst = options.burst ?? DEFAULT_BURST;
    if (!(rate > 0) || !Number.isInteger(burst) || burst < 1) throw new RangeError('rate must be > 0 and burst a whole number ≥ 1');
    this.#interval = 1000 / rate;
    this.#tolerance = (burst - 1) * this.#interval;
    this.#clock = options.clock ?? systemClock;
  }

  /** Waits until a request may be sent; returns the milliseconds waited. */
  async acquire(signal?: AbortSignal): Promise<number> {
    if (signal?.aborted) throw new InterruptedError();
    const now = this.#clock.now();
    const slot = Math.max(now, this.#tat - this.#tolerance);
    this.#tat = Math.max(this.#tat, now) + this.#interval;
    const wait = slot - now;
    if (wait > 0) await this.#clock.sleep(wait, signal);
    return wait;
  }
}
