#!/usr/bin/env node
import module from 'node:module';

// Node >= 22.1 can keep V8's compiled code on disk between runs (it honours NODE_DISABLE_COMPILE_CACHE);
// older versions have no such call and start as they always did.
module.enableCompileCache?.();
await import('../dist/cli.js');
