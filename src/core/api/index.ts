/**
 * Calling an API action: sign, send, retry, correct the clock skew, keep to the rate limit.
 */
export * from './client.js';
export * from './pool.js';
export * from './rate-limit.js';
export * from './reliable-call.js';
export * from './retry.js';
export * from './sleep.js';
export * from './sts.js';
export * from './http-get.js';
