import { describe, expect, it } from 'vitest';
import { ApiError, InterruptedError, NetworkError, UsageError } from '../../src/core/errors.js';
import { AttemptError, abortableSleep, backoffMs, retryBaseMs, retryReason, runWithRetries, totalDeadlineMs } from '../../src/core/api/retry.js';

describe('retryReason', () => {
  it.each([
    ['RequestLimitExceeded', true],
    ['RequestLimitExceeded.IPLimitExceeded', true],
    ['RequestLimitExceeded.UinLimitExceeded', true],
    ['RequestLimitExceeded.GlobalRegionUinLimitExceeded', true],
    ['ServiceUnavailable', true],
    ['RequestSizeLimitExceeded', false],
    ['LimitExceeded', false],
    ['InvalidParameter', false],
    ['InvalidParameter.InvalidFormat', false],
    ['InvalidParameterValue.DataRange', false],
    ['MissingParameter', false],
    ['AuthFailure.SignatureFailure', false],
    ['AuthFailure.SignatureExpire', false],
    ['AuthFailure.UnauthorizedOperation', false],
    ['UnauthorizedOperation', false],
    ['InternalError', false],
  ])('API error %s → retried: %s', (code, retried) => {
    expect(retryReason(new ApiError(code, 'm', 'id')) !== undefined).toBe(retried);
  });

  it.each([
    ['Network.Timeout', undefined, 'Network.Timeout'],
    ['Network.Refused', undefined, 'Network.Refused'],
    ['Network.Reset', undefined, 'Network.Reset'],
    ['Network.BadStatus', 503, 'HTTP 503'],
    ['Network.BadStatus', 500, 'HTTP 500'],
    ['Network.BadStatus', 429, 'HTTP 429'],
    ['Network.Proxy', 502, 'HTTP 502'],
    ['Network.Proxy', 407, undefined],
    ['Network.BadStatus', 404, undefined],
    ['Network.BadStatus', 403, undefined],
    ['Network.TLS', undefined, undefined],
    ['Network.DNS', undefined, undefined],
    ['Network.Redirect', 302, undefined],
    ['Network.BadResponse', 200, undefined],
    ['Network.TooLarge', 200, undefined],
  ])('%s (HTTP %s) → %s', (code, status, reason) => {
    expect(retryReason(new NetworkError(code, 'm'), status)).toBe(reason);
  });

  it('never retries usage, interrupt or unknown errors', () => {
    expect(retryReason(new UsageError('Usage.InvalidValue', 'm'))).toBeUndefined();
    expect(retryReason(new InterruptedError())).toBeUndefined();
    expect(retryReason(new Error('boom'))).toBeUndefined();
  });
});

describe('backoff', () => {
  it('is full jitter under an exponential ceiling, capped', () => {
    expect(backoffMs(1, 1000, () => 0)).toBe(0);
    expect(backoffMs(1, 1000, () => 0.999999)).toBe(999);
    expect(backoffMs(2, 1000, () => 0.5)).toBe(1000);
    expect(backoffMs(3, 1000, () => 0.999999)).toBe(3999);
    expect(backoffMs(10, 1000, () => 0.999999)).toBe(19_999);
    expect(backoffMs(3, 0, () => 0.7)).toBe(0);
  });

  it('the total deadline is every attempt timeout plus every longest wait', () => {
    expect(totalDeadlineMs(30_000, 2, 1000)).toBe(90_000 + 1000 + 2000);
    expect(totalDeadlineMs(500, 0, 1000)).toBe(500);
    expect(totalDeadlineMs(1000, 10, 1000)).toBe(11_000 + 1000 + 2000 + 4000 + 8000 + 16_000 + 5 * 20_000);
  });

  it('TCSS_RETRY_BASE_MS: whole milliseconds 0..60000, else exit 2', () => {
    expect(retryBaseMs({})).toBe(1000);
    expect(retryBaseMs({ TCSS_RETRY_BASE_MS: ' 20 ' })).toBe(20);
    expect(retryBaseMs({ TCSS_RETRY_BASE_MS: '0' })).toBe(0);
    for (const bad of ['-1', '1.5', '60001', 'abc', '1e3']) {
      expect(() => retryBaseMs({ TCSS_RETRY_BASE_MS: bad })).toThrow(UsageError);
    }
  });
});

describe('runWithRetries', () => {
  const fixed = { random: () => 0.5, monotonic: () => 0, deadline: 1_000_000, baseMs: 100 };

  it('retries until success, waiting the jittered backoff, with a debug line per retry', async () => {
    const waits: number[] = [];
    const lines: string[] = [];
    let calls = 0;
    const result = await runWithRetries(
      async () => {
        calls += 1;
        if (calls < 3) throw new ApiError('RequestLimitExceeded', 'slow', 'r');
        return 'ok';
      },
      { ...fixed, retries: 2, sleep: async (ms) => void waits.push(ms), debug: (l) => lines.push(l) },
    );
    expect(result).toBe('ok');
    expect(waits).toEqual([50, 100]);
    expect(lines).toEqual(['attempt 2/3 after RequestLimitExceeded, waiting 50 ms', 'attempt 3/3 after RequestLimitExceeded, waiting 100 ms']);
  });

  it('stops at once on an error that will not change', async () => {
    let calls = 0;
    await expect(
      runWithRetries(
        async () => {
          calls += 1;
          throw new ApiError('InvalidParameter', 'bad', 'r');
        },
        { ...fixed, retries: 5, sleep: async () => undefined },
      ),
    ).rejects.toMatchObject({ code: 'InvalidParameter', message: 'bad' });
    expect(calls).toBe(1);
  });

  it('reports the attempts made when it gives up, keeping code, hint and request ID', async () => {
    const error = runWithRetries(
      async () => {
        throw new AttemptError({ error: new NetworkError('Network.BadStatus', 'HTTP 503.', { hint: 'later' }), status: 503 });
      },
      { ...fixed, retries: 2, sleep: async () => undefined },
    );
    await expect(error).rejects.toBeInstanceOf(NetworkError);
    await expect(error).rejects.toMatchObject({ code: 'Network.BadStatus', message: 'HTTP 503.; gave up after 3 attempts', hint: 'later' });
  });

  it('does not start a wait that would pass the deadline', async () => {
    let now = 0;
    let calls = 0;
    const lines: string[] = [];
    await expect(
      runWithRetries(
        async () => {
          calls += 1;
          now += 900;
          throw new NetworkError('Network.Timeout', 'slow');
        },
        { random: () => 0.5, baseMs: 400, monotonic: () => now, deadline: 1000, retries: 5, sleep: async () => undefined, debug: (l) => lines.push(l) },
      ),
    ).rejects.toMatchObject({ code: 'Network.Timeout' });
    expect(calls).toBe(1);
    expect(lines[0]).toMatch(/^not retrying after Network.Timeout: the total deadline is 100 ms away$/);
  });

  it('an abort during the wait ends it at once with InterruptedError', async () => {
    const controller = new AbortController();
    let calls = 0;
    const started = performance.now();
    const run = runWithRetries(
      async () => {
        calls += 1;
        setTimeout(() => controller.abort(), 20);
        throw new ApiError('RequestLimitExceeded', 'slow', 'r');
      },
      { random: () => 0.99, baseMs: 60_000, monotonic: () => 0, deadline: 1e9, retries: 2, signal: controller.signal },
    );
    await expect(run).rejects.toBeInstanceOf(InterruptedError);
    expect(calls).toBe(1);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('abortableSleep resolves after the time, or rejects at once when already aborted', async () => {
    await expect(abortableSleep(5)).resolves.toBeUndefined();
    await expect(abortableSleep(10_000, AbortSignal.abort())).rejects.toBeInstanceOf(InterruptedError);
  });
});
