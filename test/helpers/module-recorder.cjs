// Preloaded with `node --require` by the start-up tests (test/helpers/loaded-modules.ts): appends to the file
// named by TCSS_MODULE_LOG what the process loaded, one item a line:
//   file:///…            every file required (bin/tcss.js, dist/vendor/*.cjs, packages left in node_modules),
//                        through a wrapper around Module._load;
//   script:dist/tcss.cjs when the main script was compiled (seen in V8's coverage);
//   node:<name>          every Node built-in required, the same way, and every public one Node loaded for
//                        itself (process.moduleLoadList), such as node:perf_hooks behind the global `performance`;
//   fn:<start>:<end>:<n> every function of dist/tcss.cjs, by its character offsets, and how often it ran, from
//                        V8's precise coverage, started here before the script is compiled (which modules'
//                        code ran, test/helpers/loaded-modules.ts works out through the build's source map);
//   process.<name>       the first read of process.stdin or process.allowedNodeEnvironmentFlags, lazy
//                        getters that cost milliseconds (opening fd 0 as a stream; the table of Node flags).
'use strict';

const logFile = process.env.TCSS_MODULE_LOG;
if (logFile) {
  const { appendFileSync } = require('node:fs');
  const Module = require('node:module');
  const { pathToFileURL } = require('node:url');
  const inspector = require('node:inspector');

  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
  process.on('exit', () => {
    // The in-process inspector session answers synchronously, so this runs to the end before the exit.
    session.post('Profiler.takePreciseCoverage', (error, coverage) => {
      if (error) {
        appendFileSync(logFile, `coverage-error:${error.message}\n`);
        return;
      }
      const lines = [];
      for (const entry of process.moduleLoadList) {
        const match = /^NativeModule ([a-z_]+(?:\/[a-z_]+)?)$/.exec(entry);
        if (match && !match[1].startsWith('internal/')) lines.push(`node:${match[1]}\n`);
      }
      for (const script of coverage.result) {
        if (!/[\\/]dist[\\/]tcss\.cjs$/.test(script.url)) continue;
        // Compiled under the name tcss/dist/tcss.cjs with the code cache, under its path when required.
        lines.push('script:dist/tcss.cjs\n');
        for (const fn of script.functions) lines.push(`fn:${fn.ranges[0].startOffset}:${fn.ranges[0].endOffset}:${fn.ranges[0].count}\n`);
      }
      appendFileSync(logFile, lines.join(''));
    });
  });

  for (const key of ['stdin', 'allowedNodeEnvironmentFlags']) {
    const property = Object.getOwnPropertyDescriptor(process, key);
    let logged = false;
    Object.defineProperty(process, key, {
      configurable: true,
      enumerable: property.enumerable,
      get() {
        if (!logged) appendFileSync(logFile, `process.${key}\n`);
        logged = true;
        return property.get.call(this);
      },
    });
  }

  const load = Module._load;
  Module._load = function recordedLoad(request, parent, isMain) {
    const exports = load.call(this, request, parent, isMain);
    if (Module.isBuiltin(request)) {
      appendFileSync(logFile, `${request.startsWith('node:') ? request : `node:${request}`}\n`);
    } else {
      try {
        appendFileSync(logFile, `${pathToFileURL(Module._resolveFilename(request, parent, isMain)).href}\n`);
      } catch {
        appendFileSync(logFile, `unresolved:${request}\n`);
      }
    }
    return exports;
  };
}
