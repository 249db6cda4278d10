/**
 * What the transport leaves in the process for bin/tcss.js: V8's baseline-only flag for undici's WebAssembly
 * parser, set only on the Node versions whose V8 has it and set back afterwards so that a code cache recorded
 * after a request is one a fresh process takes; and the count of requests answered.
 */
import { execa } from 'execa';
import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { hasBaselineFlag, noteAnswered, requestsAnswered, restoreV8Flags, withBaselineWasm } from '../../src/core/http/process-state.js';

/** Whether a fresh `node` with default flags takes a code cache recorded in this process now. */
async function freshProcessTakes(): Promise<boolean> {
  const source = 'function answer() { return 42; } answer();';
  const script = new Script(source);
  script.runInThisContext();
  const cache = script.createCachedData().toString('base64');
  const probe = `const { Script } = require('node:vm'); const s = new Script(${JSON.stringify(source)}, { cachedData: Buffer.from(${JSON.stringify(cache)}, 'base64') }); process.stdout.write(String(!s.cachedDataRejected));`;
  const { stdout } = await execa(process.execPath, ['-e', probe]);
  return stdout === 'true';
}

describe('withBaselineWasm and restoreV8Flags', () => {
  it('set the flag only on Node 20 to 24, whose V8 has it', () => {
    expect(hasBaselineFlag('20.18.1')).toBe(true);
    expect(hasBaselineFlag('22.11.0')).toBe(true);
    expect(hasBaselineFlag('24.0.0')).toBe(true);
    expect(hasBaselineFlag(process.versions.node)).toBe(true);
    expect(hasBaselineFlag('18.20.0')).toBe(false);
    expect(hasBaselineFlag('26.0.0')).toBe(false);
    expect(hasBaselineFlag('not-a-version')).toBe(false);
    // Elsewhere the compile runs as it is, and nothing is set.
    expect(withBaselineWasm(() => 'compiled', '26.0.0')).toBe('compiled');
  });

  it('leave V8 flags that a fresh process refuses a code cache under, until they are set back', async () => {
    expect(await freshProcessTakes()).toBe(true);
    // What undici's compile returns, returned.
    expect(withBaselineWasm(() => 'compiled')).toBe('compiled');
    expect(await freshProcessTakes()).toBe(false);
    restoreV8Flags();
    expect(await freshProcessTakes()).toBe(true);
    // A second call has nothing to set back.
    restoreV8Flags();
    expect(await freshProcessTakes()).toBe(true);
  });
});

describe('requestsAnswered', () => {
  it('counts the answers noted', () => {
    const before = requestsAnswered();
    noteAnswered();
    noteAnswered();
    expect(requestsAnswered()).toBe(before + 2);
  });
});
