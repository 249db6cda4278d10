import { describe, expect, it } from 'vitest';
import { RateLimiter, systemClock, type Clock } from '../../src/core/api/rate-limit.js';

/**
 * A clock that only moves when a sleeper wakes: sleeps resolve in wake-time order without real waiting, one per
 * macrotask, so each woken caller sees the time it woke at.
 */
function fakeClock(): Clock & { t: number } {
  const sleepers: Array<{ at: number; resolve: () => void }> = [];
  const clock = {
    t: 0,
    now: () => clock.t,
    sleep: (ms: number) =>
      new Promise<void>((resolve) => {
        sleepers.push({ at: clock.t + ms, resolve });
        sleepers.sort((a, b) => a.at - b.at);
        setImmediate(() => {
          const next = sleepers.shift();
          if (next) {
            clock.t = Math.max(clock.t, next.at);
            next.resolve();
          }
        });
      }),
  };
  return clock;
}

/** The most send times inside any window of `width` ms. */
function maxInWindow(times: number[], width: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while ((sorted[i] as number) - (sorted[j] as number) >= width) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe('RateLimiter', () => {
  it('keeps 100 concurrent requests under 20 in any one-second window (defaults: 15/s, burst 4)', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ clock });
    const sent: number[] = [];
    await Promise.all(Array.from({ length: 100 }, async () => {
      await limiter.acquire();
      sent.push(clock.now());
    }));
    expect(sent).toHaveLength(100);
    expect(maxInWindow(sent, 1000)).toBeLessThan(20);
    expect(maxInWindow(sent, 1000)).toBeGreaterThanOrEqual(15);
    // The first burst goes at once; the whole run takes about (100 - 4) / 15 seconds, not more.
    expect(sent.filter((t) => t === 0)).toHaveLength(4);
    expect(Math.max(...sent)).toBeCloseTo(((100 - 4) * 1000) / 15, 0);
  });

  it('does not wait after a quiet spell, and spaces requests 1000/rate ms apart once the burst is used', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ ratePerSecond: 10, burst: 2, clock });
    expect(await limiter.acquire()).toBe(0);
    expect(await limiter.acquire()).toBe(0);
    expect(await limiter.acquire()).toBe(100);
    expect(clock.now()).toBe(100);
    clock.t += 5000;
    expect(await limiter.acquire()).toBe(0);
    expect(await limiter.acquire()).toBe(0);
  });

  it('rejects with an InterruptedError when the signal aborts, on the real clock within a few ms', async () => {
    const limiter = new RateLimiter({ ratePerSecond: 1, burst: 1, clock: systemClock });
    await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    setTimeout(() => controller.abort(), 5);
    const started = performance.now();
    await expect(waiting).rejects.toMatchObject({ code: 'Interrupted', exitCode: 130 });
    expect(performance.now() - started).toBeLessThan(500);
    await expect(limiter.acquire(controller.signal)).rejects.toMatchObject({ exitCode: 130 });
  });

  it('refuses nonsense settings', () => {
    expect(() => new RateLimiter({ ratePerSecond: 0 })).toThrow(RangeError);
    expect(() => new RateLimiter({ burst: 0 })).toThrow(RangeError);
  });
});
