/**
 * Signature v3 (TC3-HMAC-SHA256) verification, as the service does it (docs/api.md#signing-tc3-hmac-sha256): POST
 * with a JSON body, or GET with the parameters in the query string and the form content type. The signature
 * is recomputed here with node:crypto from the algorithm, independently of the client's signer, over:
 *  - the canonical query string as sent (empty for POST);
 *  - the signed headers; `host` is accepted both as sent (`127.0.0.1:PORT`: the Python SDK, tccli, curl) and
 *    without its port (the Node SDK signs the URL's hostname);
 *  - the hash of the exact body bytes, or of `UNSIGNED-PAYLOAD` when `X-TC-Content-SHA256` says so.
 * The service (credential scope) and the accepted actions come from a ServiceSpec.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { pass, reject, type Checked } from './api-failure.js';
import { FORM_TYPE, header, mediaTypeOf, type ApiRequest } from './request.js';
import { isActionOf, type ServiceSpec } from './service.js';
import type { EmulatorAccount } from './types.js';

/** The service rejects a timestamp further than this from its clock (docs/api.md#signing-tc3-hmac-sha256). */
export const MAX_CLOCK_SKEW_SECONDS = 300;
const JSON_TYPE_RE = /^application\/json\s*(;\s*charset=utf-8\s*)?$/i;
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const AUTH_RE =
  /^TC3-HMAC-SHA256 Credential=([^/\s,]+)\/(\d{4}-\d{2}-\d{2})\/([a-z0-9]+)\/tc3_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

export interface Tc3Authorization {
  secretId: string;
  date: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

/** Parses a TC3 Authorization header; undefined when it is not a well-formed one. */
export function parseTc3Authorization(value: string): Tc3Authorization | undefined {
  const m = AUTH_RE.exec(value);
  if (!m) return undefined;
  const [, secretId, date, service, signed, signature] = m as unknown as [string, string, string, string, string, string];
  return { secretId, date, service, signedHeaders: signed.split(';'), signature };
}

const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

export function utcDateOf(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

/** The signature the service expects, given every input of the canonical request. */
export function tc3Signature(input: {
  secretKey: string;
  service: string;
  timestamp: number;
  method: string;
  canonicalQuery: string;
  /** Lower-case name → value, the signed headers only. */
  headers: ReadonlyMap<string, string>;
  payloadHash: string;
}): string {
  const names = [...input.headers.keys()].sort();
  const canonicalHeaders = names.map((n) => `${n}:${(input.headers.get(n) ?? '').trim().toLowerCase()}\n`).join('');
  const canonical = [input.method, '/', input.canonicalQuery, canonicalHeaders, names.join(';'), input.payloadHash].join('\n');
  const date = utcDateOf(input.timestamp);
  const scope = `${date}/${input.service}/tc3_request`;
  const stringToSign = `TC3-HMAC-SHA256\n${input.timestamp}\n${scope}\n${sha256Hex(canonical)}`;
  const key = hmac(hmac(hmac(`TC3${input.secretKey}`, date), input.service), 'tc3_request');
  return createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
}

/** `Host` as sent, then without a trailing `:port` (what the Node SDK signs). */
export function hostCandidates(host: string): string[] {
  const withoutPort = /^(.*):\d{1,5}$/.exec(host)?.[1];
  return withoutPort === undefined || withoutPort === '' ? [host] : [host, withoutPort];
}

export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The timestamp, when it is an integer within the window of the server clock. */
export function checkTimestamp(text: string, nowSeconds: number, name: string): Checked<number> {
  const timestamp = /^\d{1,12}$/.test(text) ? Number(text) : NaN;
  if (Number.isSafeInteger(timestamp) && Math.abs(nowSeconds - timestamp) <= MAX_CLOCK_SKEW_SECONDS) return pass(timestamp);
  const now = Math.floor(nowSeconds);
  const iso = new Date(nowSeconds * 1000).toISOString();
  return reject(
    'AuthFailure.SignatureExpire',
    `Signature expired: ${name} ${JSON.stringify(text)} is not within ${MAX_CLOCK_SKEW_SECONDS} seconds of the server time ${now} (${iso}).`,
    `签名已过期：${name} ${JSON.stringify(text)} 与服务器时间 ${now}（${iso}）相差超过 ${MAX_CLOCK_SKEW_SECONDS} 秒，请检查本机时间是否准确。`,
  );
}

/** A session token check shared by both signature versions: an empty token is no token. */
export function checkToken(account: EmulatorAccount, sent: string | undefined): Checked<undefined> {
  const token = sent === '' ? undefined : sent;
  if (account.token === undefined ? token === undefined : token !== undefined && sameText(token, account.token)) return pass(undefined);
  return account.token === undefined
    ? reject('AuthFailure.TokenFailure', 'A token was sent for permanent credentials.', '永久密钥的请求不应携带临时令牌（Token）。')
    : reject('AuthFailure.TokenFailure', 'The token is missing, invalid or expired.', '临时令牌（Token）缺失、无效或已过期。');
}

export function secretIdNotFound<T>(): Checked<T> {
  return reject(
    'AuthFailure.SecretIdNotFound',
    'The SecretId is not found, please ensure that your SecretId is correct.',
    '密钥 SecretId 不存在，请检查 SecretId 是否填写正确（前后不能有空格）。',
  );
}

export function signatureFailure<T>(): Checked<T> {
  return reject(
    'AuthFailure.SignatureFailure',
    'The provided credentials could not be validated. Please check your signature is correct.',
    '签名验证失败，请检查密钥与签名的计算方法是否正确。',
  );
}

export interface Tc3Verified {
  account: EmulatorAccount;
  action: string;
  /** Where the action's parameters are: the query string (GET) or the JSON body (POST). */
  params: 'query' | 'json';
}

function invalidAuthorization<T>(en: string, zh: string): Checked<T> {
  return reject('AuthFailure.InvalidAuthorization', en, zh);
}

/** Content type, action and version: checks that need no account. */
function checkEnvelope(req: ApiRequest, service: ServiceSpec): Checked<string> {
  const contentType = header(req.headers, 'content-type');
  if (req.method === 'GET' ? mediaTypeOf(contentType) !== FORM_TYPE : contentType === undefined || !JSON_TYPE_RE.test(contentType)) {
    const wanted = req.method === 'GET' ? FORM_TYPE : 'application/json';
    const got = JSON.stringify(contentType ?? '');
    return reject(
      'InvalidParameter',
      `Content-Type must be ${wanted} for ${req.method}, got ${got}.`,
      `${req.method} 请求的 Content-Type 必须为 ${wanted}，实际为 ${got}。`,
    );
  }
  const action = header(req.headers, 'x-tc-action');
  if (!isActionOf(service, action)) {
    return reject(
      'InvalidAction',
      `The action \`${action ?? ''}\` is not found in service \`${service.name}\`.`,
      `服务 \`${service.name}\` 中不存在接口 \`${action ?? ''}\`。`,
    );
  }
  const version = header(req.headers, 'x-tc-version');
  if (version !== service.version) {
    return reject(
      'NoSuchVersion',
      `The API version \`${version ?? ''}\` of \`${action}\` does not exist; use ${service.version}.`,
      `接口 \`${action}\` 不存在版本 \`${version ?? ''}\`，请使用 ${service.version}。`,
    );
  }
  return pass(action);
}

/**
 * Verifies a TC3 request: envelope, timestamp, Authorization shape and scope, SecretId, signature, token.
 * `nowSeconds` is the server clock (emulated offset included).
 */
export function verifyTc3(
  req: ApiRequest,
  service: ServiceSpec,
  accounts: ReadonlyMap<string, EmulatorAccount>,
  nowSeconds: number,
): Checked<Tc3Verified> {
  const envelope = checkEnvelope(req, service);
  if (!envelope.ok) return envelope;
  const timestamp = checkTimestamp(header(req.headers, 'x-tc-timestamp') ?? '', nowSeconds, 'X-TC-Timestamp');
  if (!timestamp.ok) return timestamp;
  const auth = parseTc3Authorization(header(req.headers, 'authorization') ?? '');
  if (auth === undefined) {
    return invalidAuthorization(
      'The Authorization header is not a well-formed TC3-HMAC-SHA256 one.',
      '请求头 Authorization 不是格式正确的 TC3-HMAC-SHA256 签名。',
    );
  }
  const expectedDate = utcDateOf(timestamp.value);
  if (auth.date !== expectedDate) {
    return invalidAuthorization(
      `The credential scope date ${auth.date} is not the UTC date ${expectedDate} of X-TC-Timestamp.`,
      `凭证范围中的日期 ${auth.date} 不是 X-TC-Timestamp 对应的 UTC 日期 ${expectedDate}。`,
    );
  }
  if (auth.service !== service.name) {
    // The Node SDK takes the service from the endpoint's first label: an IP endpoint gives `127`.
    const nodeHint = /^\d+$/.test(auth.service)
      ? ` (the Node SDK takes it from the endpoint's first label: use a host name that begins with ${service.name}.)`
      : '';
    const nodeHintZh = /^\d+$/.test(auth.service) ? `（Node SDK 取自 endpoint 的第一段：请使用以 ${service.name}. 开头的主机名）` : '';
    return invalidAuthorization(
      `The credential scope service must be \`${service.name}\`, got \`${auth.service}\`${nodeHint}.`,
      `凭证范围中的服务名必须为 \`${service.name}\`，实际为 \`${auth.service}\`${nodeHintZh}。`,
    );
  }
  for (const required of ['content-type', 'host']) {
    if (!auth.signedHeaders.includes(required)) {
      return invalidAuthorization(`SignedHeaders must include ${required}.`, `SignedHeaders 必须包含 ${required}。`);
    }
  }
  const signed = new Map<string, string>();
  for (const name of auth.signedHeaders) {
    const value = header(req.headers, name);
    if (value === undefined) {
      return invalidAuthorization(`The signed header ${name} is not in the request.`, `已签名的请求头 ${name} 不在请求中。`);
    }
    signed.set(name, value);
  }
  const account = accounts.get(auth.secretId);
  if (account === undefined) return secretIdNotFound();
  const unsigned = header(req.headers, 'x-tc-content-sha256') === UNSIGNED_PAYLOAD;
  const payloadHash = sha256Hex(unsigned ? UNSIGNED_PAYLOAD : req.body);
  const canonicalQuery = req.method === 'GET' ? req.rawQuery : '';
  const matches = hostCandidates(signed.get('host') ?? '').some((host) => {
    const headers = new Map(signed).set('host', host);
    const expected = tc3Signature({ secretKey: account.secretKey, service: service.name, timestamp: timestamp.value, method: req.method, canonicalQuery, headers, payloadHash });
    return sameText(expected, auth.signature);
  });
  if (!matches) return signatureFailure();
  const token = checkToken(account, header(req.headers, 'x-tc-token'));
  if (!token.ok) return token;
  return pass({ account, action: envelope.value, params: req.method === 'GET' ? 'query' : 'json' });
}
