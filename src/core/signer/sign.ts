import { buildCanonicalRequest } from './canonical-request.js';
import { ALGORITHM } from './constants.js';
import { credentialScope, deriveSigningKey, utcDate } from './credential-scope.js';
import { hmacSha256, sha256Hex } from './hash.js';

export interface SignInput {
  secretId: string;
  secretKey: string;
  /** Service name in the credential scope (`tcss`), whatever the host. */
  service: string;
  /** Unix seconds; the caller's clock, injected. */
  timestamp: number;
  method?: string;
  path?: string;
  query?: string;
  /** Headers to sign (at least `content-type` and `host`), exactly as they will be sent. */
  headers: Readonly<Record<string, string>>;
  /** Defaults to every header in `headers`. */
  signedHeaders?: readonly string[];
  body: string | Uint8Array;
}

export interface Signature {
  authorization: string;
  signature: string;
  canonicalRequest: string;
  stringToSign: string;
  signedHeaders: string;
  date: string;
}

/** `TC3-HMAC-SHA256\n<timestamp>\n<scope>\n<hex sha256 of canonical request>` */
export function buildStringToSign(timestamp: number, scope: string, canonicalRequest: string): string {
  return `${ALGORITHM}\n${timestamp}\n${scope}\n${sha256Hex(canonicalRequest)}`;
}

/** Signs one request with TC3-HMAC-SHA256 (docs/api.md#signing-tc3-hmac-sha256). Pure: same input, same output. */
export function signRequest(input: SignInput): Signature {
  const date = utcDate(input.timestamp);
  const scope = credentialScope(date, input.service);
  const canonical = buildCanonicalRequest({
    method: input.method ?? 'POST',
    path: input.path ?? '/',
    query: input.query ?? '',
    headers: input.headers,
    signedHeaders: input.signedHeaders ?? Object.keys(input.headers),
    body: input.body,
  });
  const stringToSign = buildStringToSign(input.timestamp, scope, canonical.text);
  const signature = hmacSha256(deriveSigningKey(input.secretKey, date, input.service), stringToSign, 'hex');
  const authorization =
    `${ALGORITHM} Credential=${input.secretId}/${scope}, SignedHeaders=${canonical.signedHeaders}, ` +
    `Signature=${signature}`;
  return {
    authorization,
    signature,
    canonicalRequest: canonical.text,
    stringToSign,
    signedHeaders: canonical.signedHeaders,
    date,
  };
}

export interface ParsedAuthorization {
  secretId: string;
  date: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

/** Parses an Authorization header; undefined when it is not a well-formed TC3 one. */
export function parseAuthorization(header: string): ParsedAuthorization | undefined {
  const m = /^TC3-HMAC-SHA256 Credential=([^/\s,]+)\/(\d{4}-\d{2}-\d{2})\/([a-z0-9]+)\/tc3_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(
    header,
  );
  if (!m) return undefined;
  const [, secretId, date, service, signed, signature] = m as unknown as [string, string, string, string, string, string];
  return { secretId, date, service, signedHeaders: signed.split(';'), signature };
}
