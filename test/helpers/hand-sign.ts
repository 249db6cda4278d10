/**
 * A small signer written for the tests from the published algorithms, with node:crypto only: it shares no code
 * with src/core/signer or the emulator, so a bug common to tcss's client and its emulator still shows.
 * Checked against the official vectors in test/unit/hand-sign.test.ts.
 */
import { createHash, createHmac } from 'node:crypto';

export interface Tc3Input {
  secretId: string;
  secretKey: string;
  service: string;
  timestamp: number;
  method: 'GET' | 'POST';
  /** The canonical query string: the URL-encoded query exactly as sent, '' for none. */
  query: string;
  /** Signed headers by lower-case name, values as they are signed. */
  headers: Record<string, string>;
  /** The exact body bytes, or 'UNSIGNED-PAYLOAD' to sign that instead of the body. */
  payload: string | Buffer | { unsigned: true };
}

export interface Tc3Result {
  authorization: string;
  signature: string;
  canonicalRequest: string;
  hashedCanonicalRequest: string;
}

const hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

export function handSignTc3(input: Tc3Input): Tc3Result {
  const names = Object.keys(input.headers).map((n) => n.toLowerCase()).sort();
  const lower = Object.fromEntries(Object.entries(input.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const canonicalHeaders = names.map((n) => `${n}:${String(lower[n]).trim().toLowerCase()}\n`).join('');
  const signedHeaders = names.join(';');
  const payloadHash =
    typeof input.payload === 'object' && !Buffer.isBuffer(input.payload) ? hex('UNSIGNED-PAYLOAD') : hex(input.payload);
  const canonicalRequest = `${input.method}\n/\n${input.query}\n${canonicalHeaders}\n${signedHeaders}\n${payloadHash}`;
  const date = new Date(input.timestamp * 1000).toISOString().slice(0, 10);
  const scope = `${date}/${input.service}/tc3_request`;
  const hashedCanonicalRequest = hex(canonicalRequest);
  const stringToSign = `TC3-HMAC-SHA256\n${input.timestamp}\n${scope}\n${hashedCanonicalRequest}`;
  const kDate = createHmac('sha256', `TC3${input.secretKey}`).update(date).digest();
  const kService = createHmac('sha256', kDate).update(input.service).digest();
  const kSigning = createHmac('sha256', kService).update('tc3_request').digest();
  const signature = createHmac('sha256', kSigning).update(stringToSign).digest('hex');
  return {
    authorization: `TC3-HMAC-SHA256 Credential=${input.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    signature,
    canonicalRequest,
    hashedCanonicalRequest,
  };
}

/** Signature v1: base64 HMAC of METHOD + host + "/?" + sorted, unencoded k=v pairs. */
export function handSignV1(method: 'GET' | 'POST', host: string, params: Record<string, string>, secretKey: string, algorithm: 'HmacSHA1' | 'HmacSHA256' = 'HmacSHA1'): string {
  const text = `${method}${host}/?${Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&')}`;
  return createHmac(algorithm === 'HmacSHA1' ? 'sha1' : 'sha256', secretKey).update(text).digest('base64');
}

/** `application/x-www-form-urlencoded` encoding of the parameters, in the given order. */
export function formEncode(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
}
