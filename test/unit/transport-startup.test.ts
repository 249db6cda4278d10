/**
 * The transport's start-up choices: V8 is told to keep WebAssembly on its baseline compiler only on Node
 * versions whose V8 knows the flag (elsewhere V8 would print a warning on stderr).
 */
import { describe, expect, it } from 'vitest';
import { preferBaselineWasm } from '../../src/core/http/transport.js';

describe('preferBaselineWasm', () => {
  it('applies on the Node versions whose V8 has --liftoff-only', () => {
    expect(preferBaselineWasm('20.18.1')).toBe(true);
    expect(preferBaselineWasm('22.11.0')).toBe(true);
    expect(preferBaselineWasm('24.0.0')).toBe(true);
    expect(preferBaselineWasm(process.versions.node)).toBe(true);
  });

  it('leaves V8 alone on versions it was not checked against', () => {
    expect(preferBaselineWasm('18.20.0')).toBe(false);
    expect(preferBaselineWasm('26.0.0')).toBe(false);
    expect(preferBaselineWasm('not-a-version')).toBe(false);
  });
});
