// Preloaded with `node --import` by test/e2e/startup-modules.test.ts: appends the URL of every module the
// process loads to the file named by TCSS_MODULE_LOG, one per line. ES modules (dist chunks, and packages
// imported as ESM) are seen by a loader hook; CommonJS files required through createRequire (packages left
// external to the bundle, and Node built-ins the bundled CommonJS code requires) by a wrapper around
// Module._load. Built-ins are logged as `node:<name>`. It also logs `process.stdin` and
// `process.allowedNodeEnvironmentFlags` the first time each is read: both are lazy getters that cost
// milliseconds (an ES-module import of node:process reads them all).
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';
import { pathToFileURL } from 'node:url';

const logFile = process.env.TCSS_MODULE_LOG;
if (logFile) {
  register('./module-recorder-hooks.mjs', import.meta.url, { data: { logFile } });
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
