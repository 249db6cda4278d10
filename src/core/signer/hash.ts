import { createHash, createHmac } from 'node:crypto';

/** Lower-case hex SHA-256 of a string (as UTF-8) or of raw bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** HMAC-SHA256 of `data` under `key`, as raw bytes (for chaining) or hex. */
export function hmacSha256(key: string | Uint8Array, data: string): Buffer;
export function hmacSha256(key: string | Uint8Array, data: string, encoding: 'hex'): string;
export function hmacSha256(key: string | Uint8Array, data: string, encoding?: 'hex'): Buffer | string {
  const mac = createHmac('sha256', key).update(data, 'utf8');
  return encoding ? mac.digest(encoding) : mac.digest();
}
