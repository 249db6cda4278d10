/** Replaced at build time (scripts/build.js, vitest.config.ts) with package.json's version. */
declare const __TCSS_VERSION__: string;
