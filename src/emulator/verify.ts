/**
 * Checks an API request's headers and signature like the service (docs/api.md#signing-tc3-hmac-sha256, docs/api.md#responses-and-errors): action, version,
 * timestamp window, Authorization shape and scope, SecretId, the recomputed TC3 signature over the exact body
 * bytes, the session token, and the region and language headers. The signature is recomputed with our own
 * signer (src/core/signer), not a second implementation.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { ACTION_INPUTS, API_VERSION, SERVICE, type ActionName } from '../core/api-model.js';
import { parseAuthorization, signRequest, utcDate } from '../core/signer/index.js';
import { pass, reject, type Checked } from './api-failure.js';
import type { EmulatorAccount } from './types.js';

/** The service rejects a timestamp further than this from its clock (docs/api.md#signing-tc3-hmac-sha256). */
export const MAX_CLOCK_SKEW_SECONDS = 300;
export const SUPPORTED_LANGUAGES: readonly string[] = ['zh-CN', 'en-US'];
const CONTENT_TYPE_RE = /^application\/json\s*(;\s*charset=utf-8\s*)?$/i;

export interface ApiRequestHead {
  method: string;
  headers: IncomingHttpHeaders;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The Host header without its port: what the official SDK signs (it sends `Host: 127.0.0.1:PORT`). */
export function hostnameOf(host: string): string {
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return host;
  }
}

/** Header checks that need no account: method, content type, action, version. */
export function checkEnvelope(head: ApiRequestHead): Checked<ActionName> {
  if (head.method !== 'POST') {
    return reject('UnsupportedOperation', `The emulator accepts only POST requests, got ${head.method}.`);
  }
  const contentType = header(head.headers, 'content-type');
  if (contentType === undefined || !CONTENT_TYPE_RE.test(contentType)) {
    return reject('InvalidParameter', `Content-Type must be application/json, got ${JSON.stringify(contentType ?? '')}.`);
  }
  const action = header(head.headers, 'x-tc-action');
  if (action === undefined || !Object.hasOwn(ACTION_INPUTS, action)) {
    return reject('InvalidAction', `The action \`${action ?? ''}\` is not found in service \`${SERVICE}\`.`);
  }
  const version = header(head.headers, 'x-tc-version');
  if (version !== API_VERSION) {
    return reject('NoSuchVersion', `The API version \`${version ?? ''}\` of \`${action}\` does not exist; use ${API_VERSION}.`);
  }
  return pass(action as ActionName);
}

/**
 * Verifies who is calling and that the request was not altered. `nowSeconds` is the server clock (with any
 * emulated offset applied). The body is the exact bytes received.
 */
export function checkAuthentication(
  head: ApiRequestHead,
  body: Uint8Array,
  accounts: ReadonlyMap<string, EmulatorAccount>,
  nowSeconds: number,
  service: string = SERVICE,
): Checked<EmulatorAccount> {
  const timestampText = header(head.headers, 'x-tc-timestamp') ?? '';
  const timestamp = /^\d{1,12}$/.test(timestampText) ? Number(timestampText) : NaN;
  if (!Number.isSafeInteger(timestamp) || Math.abs(nowSeconds - timestamp) > MAX_CLOCK_SKEW_SECONDS) {
    return reject(
      'AuthFailure.SignatureExpire',
      `Signature expired: X-TC-Timestamp ${JSON.stringify(timestampText)} is not within ${MAX_CLOCK_SKEW_SECONDS} seconds ` +
        `of the server time ${Math.floor(nowSeconds)} (${new Date(nowSeconds * 1000).toISOString()}).`,
    );
  }
  const auth = parseAuthorization(header(head.headers, 'authorization') ?? '');
  if (auth === undefined) {
    return reject('AuthFailure.InvalidAuthorization', 'The Authorization header is not a well-formed TC3-HMAC-SHA256 one.');
  }
  const expectedDate = utcDate(timestamp);
  if (auth.date !== expectedDate) {
    return reject(
      'AuthFailure.InvalidAuthorization',
      `The credential scope date ${auth.date} is not the UTC date ${expectedDate} of X-TC-Timestamp.`,
    );
  }
  if (auth.service !== service) {
    return reject('AuthFailure.InvalidAuthorization', `The credential scope service must be \`${service}\`, got \`${auth.service}\`.`);
  }
  for (const required of ['content-type', 'host']) {
    if (!auth.signedHeaders.includes(required)) {
      return reject('AuthFailure.InvalidAuthorization', `SignedHeaders must include ${required}.`);
    }
  }
  const signed: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = header(head.headers, name);
    if (value === undefined) {
      return reject('AuthFailure.InvalidAuthorization', `The signed header ${name} is not in the request.`);
    }
    signed[name] = name === 'host' ? hostnameOf(value) : value;
  }
  const account = accounts.get(auth.secretId);
  if (account === undefined) {
    return reject('AuthFailure.SecretIdNotFound', 'The SecretId is not found, please ensure that your SecretId is correct.');
  }
  const expected = signRequest({
    secretId: account.secretId,
    secretKey: account.secretKey,
    service,
    timestamp,
    headers: signed,
    signedHeaders: auth.signedHeaders,
    body,
  }).signature;
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(auth.signature))) {
    return reject('AuthFailure.SignatureFailure', 'The provided credentials could not be validated. Please check your signature is correct.');
  }
  const token = header(head.headers, 'x-tc-token');
  if (account.token === undefined ? token !== undefined : token !== account.token) {
    return reject(
      'AuthFailure.TokenFailure',
      account.token === undefined ? 'A token was sent for permanent credentials.' : 'The token is missing, invalid or expired.',
    );
  }
  return pass(account);
}

/** Region and language headers, checked once the caller is known. */
export function checkOptionalHeaders(head: ApiRequestHead): Checked<undefined> {
  const region = header(head.headers, 'x-tc-region');
  if (region !== undefined && region.trim() === '') {
    // The real API rejects an empty region header (an early Node SDK release sent one).
    return reject('InvalidParameterValue', 'The X-TC-Region header is empty: send a region or omit the header.');
  }
  const language = header(head.headers, 'x-tc-language');
  if (language !== undefined && !SUPPORTED_LANGUAGES.includes(language)) {
    return reject('InvalidParameterValue', `X-TC-Language must be one of ${SUPPORTED_LANGUAGES.join(', ')}, got ${JSON.stringify(language)}.`);
  }
  return pass(undefined);
}
