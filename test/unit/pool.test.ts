import { describe, expect, it } from 'vitest';
import { mapBounded } from '../../src/core/api/pool.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('mapBounded', () => {
  it.each([1, 2, 4, 16])('never runs more than %i at once, and uses them all', async (limit) => {
    let running = 0;
    let peak = 0;
    const results = await mapBounded(Array.from({ length: 20 }, (_, i) => i), limit, async (n) => {
      running++;
      peak = Math.max(peak, running);
      for (let i = 0; i < (n % 3) + 1; i++) await tick();
      running--;
      return n * 2;
    });
    expect(peak).toBe(Math.min(limit, 20));
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => ({ status: 'fulfilled', value: i * 2 })));
  });

  it('keeps going after a failure and reports every item in order', async () => {
    const started: number[] = [];
    const results = await mapBounded([0, 1, 2, 3], 2, async (n) => {
      started.push(n);
      await tick();
      if (n === 1) throw new Error('boom');
      return n;
    });
    expect(started).toEqual([0, 1, 2, 3]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ message: 'boom' });
  });

  it('handles an empty list and refuses a bad limit', async () => {
    await expect(mapBounded([], 4, async () => 1)).resolves.toEqual([]);
    await expect(mapBounded([1], 0, async () => 1)).rejects.toThrow(RangeError);
  });
});
