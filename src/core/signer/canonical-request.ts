import { sha256Hex } from './hash.js';

export interface CanonicalRequestInput {
  method: string;
  /** Request path; the API uses `/`. */
  path?: string;
  /** Canonical query string, empty for POST. */
  query?: string;
  /** Header values by name; every name in `signedHeaders` must be present. */
  headers: Readonly<Record<string, string>>;
  /** Names of the headers to sign, any case. */
  signedHeaders: readonly string[];
  /** The exact body bytes that will be sent. */
  body: string | Uint8Array;
}

export interface CanonicalRequest {
  /** The canonical request text. */
  text: string;
  /** `content-type;host`-style list of signed header names. */
  signedHeaders: string;
}

/**
 * Builds the canonical request: method, path, query, canonical headers (sorted, lower-case name and trimmed,
 * lower-case value), the signed header list, and the hex SHA-256 of the body bytes.
 */
export function buildCanonicalRequest(input: CanonicalRequestInput): CanonicalRequest {
  const lowerHeaders = new Map<string, string>();
  for (const [name, value] of Object.entries(input.headers)) lowerHeaders.set(name.toLowerCase(), value);
  const names = [...new Set(input.signedHeaders.map((n) => n.toLowerCase()))].sort();
  let canonicalHeaders = '';
  for (const name of names) {
    const value = lowerHeaders.get(name);
    if (value === undefined) throw new Error(`signed header ${name} has no value`);
    canonicalHeaders += `${name}:${value.trim().toLowerCase()}\n`;
  }
  const signedHeaders = names.join(';');
  const text = [
    input.method.toUpperCase(),
    input.path ?? '/',
    input.query ?? '',
    canonicalHeaders,
    signedHeaders,
    sha256Hex(input.body),
  ].join('\n');
  return { text, signedHeaders };
}
