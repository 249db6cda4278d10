/** Wire names of the TC3-HMAC-SHA256 algorithm (docs/api.md#signing-tc3-hmac-sha256). */
export const ALGORITHM = 'TC3-HMAC-SHA256';
export const TERMINATOR = 'tc3_request';
export const KEY_PREFIX = 'TC3';
