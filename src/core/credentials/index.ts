/**
 * Credentials: one provider per source, tried in one documented order (docs/credentials.md).
 */
export * from './chain.js';
