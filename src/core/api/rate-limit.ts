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
 * Generic cell rate algorithm, decided by the clock at the moment a request goes: callers take turns in the order
 * they asked, and each turn waits until the clock says a request may go. A slot is never reserved ahead of time:
 * after a stall of the event loop (parsing a large answer, say), timers fire late and all at once, and callers
 * holding reservations would go together; here each one looks at the clock again when it wakes, so the limit
 * holds in every one-second window whatever the event loop did.
 */
export class RateLimiter {
  readonly #interval: number;
  readonly #tolerance: number;
  readonly #clock: Clock;
  /** Theoretical arrival time of the next request. */
  #tat = -Infinity;
  /** The turn before the next caller's: settled when that caller may go (or gave up). */
  #queue: Promise<unknown> = Promise.resolve();

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
    const started = this.#clock.now();
    const turn = this.#queue.then(() => this.#take(signal));
    this.#queue = turn.catch(() => undefined);
    if (signal === undefined) {
      await turn;
    } else {
      // A caller still waiting for its turn leaves at once when its signal aborts.
      let onAbort = (): void => undefined;
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => reject(new InterruptedError());
        signal.addEventListener('abort', onAbort, { once: true });
      });
      try {
        await Promise.race([turn, aborted]);
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    }
    return this.#clock.now() - started;
  }

  /** This caller's turn: waits by the clock until a request may go, then counts it. */
  async #take(signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      if (signal?.aborted) throw new InterruptedError();
      const now = this.#clock.now();
      const allowedAt = this.#tat - this.#tolerance;
      if (now >= allowedAt) {
        this.#tat = Math.max(this.#tat, now) + this.#interval;
        return;
      }
      await this.#clock.sleep(allowedAt - now, signal);
    }
  }
}
