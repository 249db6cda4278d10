// The node:assert that the bundled undici gets (scripts/build.js): undici checks its own invariants with
// assert(value) and uses nothing else of the module (the build refuses a file that does), and loading
// node:assert (its AssertionError, with diffs and colours) costs every start-up time for a check that never
// fails. A failed check throws the same kind of error: code ERR_ASSERTION.
'use strict';

class AssertionError extends Error {
  constructor(message) {
    super(message ?? 'The expression evaluated to a falsy value');
    this.name = 'AssertionError';
    this.code = 'ERR_ASSERTION';
  }
}

function assert(value, message) {
  if (!value) throw message instanceof Error ? message : new AssertionError(message);
}
assert.AssertionError = AssertionError;

module.exports = assert;
