/**
 * The config file (found and read as data, never run) and the global options resolved from flags, environment
 * and config.
 */
export * from './load.js';
export * from './options.js';
export * from './presence.js';
export * from './schema.js';
