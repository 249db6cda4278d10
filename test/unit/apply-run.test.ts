import { describe, expect, it } from 'vitest';
import { EXIT_SEVERITY, worstExitCode } from '../../src/cli/apply-run.js';
import { parseConcurrency, parseProfiles } from '../../src/cli/commands/image-scan-apply.js';

describe('worstExitCode', () => {
  it('orders 130 > 1 > 4 > 3 > 2 > 5 > 0', () => {
    expect(EXIT_SEVERITY).toEqual([130, 1, 4, 3, 2, 5, 0]);
    expect(worstExitCode([])).toBe(0);
    expect(worstExitCode([0, 5, 0])).toBe(5);
    expect(worstExitCode([5, 2])).toBe(2);
    expect(worstExitCode([2, 3, 5])).toBe(3);
    expect(worstExitCode([3, 4])).toBe(4);
    expect(worstExitCode([4, 1])).toBe(1);
    expect(worstExitCode([1, 130, 0])).toBe(130);
    expect(worstExitCode([0, 42])).toBe(1);
  });
});

describe('apply flags', () => {
  it('parses --profiles lists, repeated, de-duplicated, checked', () => {
    expect(parseProfiles(['prod, staging', 'prod', 'qa'])).toEqual(['prod', 'staging', 'qa']);
    expect(() => parseProfiles(['a,,b'])).toThrow('--profiles has an empty item');
    expect(() => parseProfiles(['../etc'])).toThrow(/not a valid profile name/);
  });

  it('parses --concurrency 1-16', () => {
    expect(parseConcurrency(undefined)).toBe(4);
    expect(parseConcurrency(' 16 ')).toBe(16);
    for (const bad of ['0', '17', '2.5', 'x', '']) expect(() => parseConcurrency(bad)).toThrow(/--concurrency/);
  });
});
