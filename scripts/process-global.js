// What `import process from 'node:process'` resolves to inside the bundle (scripts/build.js): the global
// process object itself. Node's ES-module view of the built-in copies every property of `process`, and so
// runs its lazy getters: it opens process.stdin (a stream on fd 0) and builds allowedNodeEnvironmentFlags,
// about 5 ms of every start-up, for nothing. Only the default export is provided; a named import of
// node:process in bundled code fails the build instead of being silently wrong.
export default process;
