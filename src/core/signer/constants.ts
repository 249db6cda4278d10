/** Wire names of the TC3-HMAC-SHA256 algorithm (tcss-api.md §4). */
export const ALGORITHM = 'TC3-HMAC-SHA256';
export const TERMINATOR = 'tc3_request';
export const KEY_PREFIX = 'TC3';
