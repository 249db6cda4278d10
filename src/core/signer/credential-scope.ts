import { KEY_PREFIX, TERMINATOR } from './constants.js';
import { hmacSha256 } from './hash.js';

/** The UTC date (YYYY-MM-DD) of a Unix timestamp in seconds. Never the local date. */
export function utcDate(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

/** `<date>/<service>/tc3_request` */
export function credentialScope(date: string, service: string): string {
  return `${date}/${service}/${TERMINATOR}`;
}

/** The signing key: HMAC chain over "TC3"+key, date, service, "tc3_request". */
export function deriveSigningKey(secretKey: string, date: string, service: string): Buffer {
  const secretDate = hmacSha256(KEY_PREFIX + secretKey, date);
  const secretService = hmacSha256(secretDate, service);
  return hmacSha256(secretService, TERMINATOR);
}
