/**
 * The official signer from tencentcloud-sdk-nodejs-common (dev dependency), for cross-checks only.
 * The package is CommonJS with `exports.default = Sign`; depending on the loader's interop the default import is
 * either the class or the exports object, so both shapes are accepted.
 */
import SignModule from 'tencentcloud-sdk-nodejs-common/tencentcloud/common/sign.js';

type Sign3 = (typeof SignModule)['default']['sign3'];

const loaded = SignModule as unknown as { sign3?: Sign3; default?: { sign3: Sign3 } };
const sign3: Sign3 = loaded.sign3 ?? (loaded.default as { sign3: Sign3 }).sign3;
if (typeof sign3 !== 'function') throw new Error('tencentcloud-sdk-nodejs-common: Sign.sign3 not found');

export interface SdkSignInput {
  /** Full URL; the SDK signs its hostname (no port) and takes path and query from it. */
  url: string;
  /** The exact body bytes. */
  body: string | Buffer;
  timestamp: number;
  secretId: string;
  secretKey: string;
  contentType: string;
  service?: string;
}

/** The Authorization header the official SDK computes for a POST with these exact body bytes. */
export function sdkAuthorization(input: SdkSignInput): string {
  return sign3({
    method: 'POST',
    url: input.url,
    payload: Buffer.isBuffer(input.body) ? input.body : Buffer.from(input.body, 'utf8'),
    timestamp: input.timestamp,
    service: input.service ?? 'tcss',
    secretId: input.secretId,
    secretKey: input.secretKey,
    multipart: false,
    boundary: '',
    headers: { 'Content-Type': input.contentType },
  });
}
