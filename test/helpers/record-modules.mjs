// Loaded with `node --import` (via NODE_OPTIONS) by the start-up tests: records the URL of every ES module
// the process loads, one a line, in the file named by TCSS_TEST_MODULE_LOG.
import { register } from 'node:module';

register('./record-modules-hooks.mjs', import.meta.url, { data: { out: process.env.TCSS_TEST_MODULE_LOG } });
