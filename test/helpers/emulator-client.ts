/**
 * Test-side client for the emulator: builds a request signed with the tests' own signer (hand-sign.ts, not
 * src/core/signer) and sends it with node:http, so a test controls every header (Host included) and every
 * body byte. No keep-alive: nothing outlives a test.
 */
import { request, type IncomingHttpHeaders } from 'node:http';
import { formEncode, handSignTc3, handSignV1 } from './hand-sign.js';
import { startEmulator } from '../../src/emulator/server.js';
import type { Emulator, EmulatorOptions } from '../../src/emulator/types.js';

export const ACCOUNT_A = { secretId: 'AKIDTESTACCOUNTA0000000000000000000', secretKey: 'keyA0000000000000000000000000000' };
export const ACCOUNT_B = { secretId: 'AKIDTESTACCOUNTB0000000000000000000', secretKey: 'keyB0000000000000000000000000000' };
export const ACCOUNT_T = {
  secretId: 'AKIDTESTACCOUNTT0000000000000000000',
  secretKey: 'keyT0000000000000000000000000000',
  token: 'session-token-T',
};

const API_VERSION = '2020-11-01';
const SERVICE = 'tcss';
const CONTENT_TYPE = 'application/json';
const FORM = 'application/x-www-form-urlencoded';

export const VALID_CREATE = {
  Enable: true,
  ScanTime: '01:00',
  ScanPeriod: 1,
  ScanVirus: true,
  ScanRisk: false,
  ScanVul: true,
  ScanEndTime: '02:00',
};

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

export interface RawRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string | number>;
  body?: string | Buffer;
  timeoutMs?: number;
}

/** One HTTP exchange; rejects on a network error or after timeoutMs (default 5 s). */
export function rawRequest(baseUrl: string, input: RawRequest = {}): Promise<RawResponse> {
  const url = new URL(input.path ?? '/', baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: input.method ?? 'POST', headers: input.headers, agent: false, timeout: input.timeoutMs ?? 5000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('test request timed out')));
    req.on('error', reject);
    req.end(input.body);
  });
}

export interface ApiCall {
  action?: string;
  /** POST (default: JSON body) or GET (parameters in the query string, form content type). */
  method?: 'GET' | 'POST';
  /** GET: the query string as sent (default: `query` of the flattened `params`). */
  query?: string;
  /** GET: a query string to send instead of the signed one. */
  sentQuery?: string;
  /** GET: the action's parameters, flattened (`Images.0`). */
  params?: Record<string, string>;
  /** Sign sha256("UNSIGNED-PAYLOAD") and send X-TC-Content-SHA256: UNSIGNED-PAYLOAD. */
  unsignedPayload?: boolean;
  /** Object (JSON-encoded) or exact body text. Default `{}`. */
  body?: unknown;
  secretId?: string;
  secretKey?: string;
  token?: string;
  timestamp?: number;
  service?: string;
  /** Sent and signed content type. */
  contentType?: string;
  /** Value signed for `host` (default: the hostname without port, like the official SDK). */
  signedHost?: string;
  signedHeaders?: string[];
  /** Extra or replaced headers, applied after signing; `undefined` removes a header. */
  headers?: Record<string, string | undefined>;
  /** Body bytes to sign when they should differ from the ones sent. */
  signedBody?: string;
  /** Rewrites the Authorization header after signing. */
  authorization?: (value: string) => string;
  timeoutMs?: number;
}

/** Sends a correctly signed API request (unless told otherwise) and parses the JSON answer. */
export async function callApi(emulator: Pick<Emulator, 'url' | 'port'>, call: ApiCall = {}): Promise<RawResponse & { json: { Response: Record<string, unknown> } }> {
  const method = call.method ?? 'POST';
  const body = method === 'GET' ? '' : typeof call.body === 'string' ? call.body : JSON.stringify(call.body ?? {});
  const query = call.query ?? (call.params === undefined ? '' : formEncode(call.params));
  const timestamp = call.timestamp ?? Math.floor(Date.now() / 1000);
  const contentType = call.contentType ?? (method === 'GET' ? FORM : CONTENT_TYPE);
  const secretId = call.secretId ?? ACCOUNT_A.secretId;
  const available: Record<string, string> = {
    'content-type': contentType,
    host: call.signedHost ?? '127.0.0.1',
    'x-tc-action': call.action ?? 'DescribeAssetImageScanSetting',
  };
  const signed = handSignTc3({
    secretId,
    secretKey: call.secretKey ?? ACCOUNT_A.secretKey,
    service: call.service ?? SERVICE,
    timestamp,
    method,
    query,
    headers: Object.fromEntries((call.signedHeaders ?? ['content-type', 'host']).map((n) => [n, available[n] ?? ''])),
    payload: call.unsignedPayload ? { unsigned: true } : (call.signedBody ?? body),
  });
  const headers: Record<string, string | undefined> = {
    'Content-Type': contentType,
    'X-TC-Action': call.action ?? 'DescribeAssetImageScanSetting',
    'X-TC-Version': API_VERSION,
    'X-TC-Timestamp': String(timestamp),
    Authorization: call.authorization ? call.authorization(signed.authorization) : signed.authorization,
  };
  if (call.token !== undefined) headers['X-TC-Token'] = call.token;
  if (call.unsignedPayload) headers['X-TC-Content-SHA256'] = 'UNSIGNED-PAYLOAD';
  for (const [name, value] of Object.entries(call.headers ?? {})) {
    const existing = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
    if (existing !== undefined) delete headers[existing];
    if (value !== undefined) headers[name] = value;
  }
  const sent = Object.fromEntries(Object.entries(headers).filter((e): e is [string, string] => e[1] !== undefined));
  const sentQuery = call.sentQuery ?? query;
  const res = await rawRequest(emulator.url, { method, path: sentQuery === '' ? '/' : `/?${sentQuery}`, headers: sent, body, timeoutMs: call.timeoutMs });
  return { ...res, json: JSON.parse(res.text) as { Response: Record<string, unknown> } };
}

export interface V1Call {
  method?: 'GET' | 'POST';
  algorithm?: 'HmacSHA1' | 'HmacSHA256';
  /** Leave SignatureMethod out (the service then assumes HmacSHA1). */
  omitSignatureMethod?: boolean;
  action?: string;
  /** The action's own parameters, flattened. */
  params?: Record<string, string>;
  /** Common parameters to add, replace, or (undefined) remove before signing. */
  common?: Record<string, string | undefined>;
  secretId?: string;
  secretKey?: string;
  timestamp?: number;
  /** Host in the string to sign (default: as sent, 127.0.0.1:PORT). */
  signedHost?: string;
  /** Headers to add to the request. */
  headers?: Record<string, string>;
  /** Rewrites the Signature after signing. */
  signature?: (value: string) => string;
}

/** Sends a Signature v1 request (GET query or POST form) and parses the JSON answer. */
export async function callV1(emulator: Pick<Emulator, 'url' | 'port'>, call: V1Call = {}): Promise<RawResponse & { json: { Response: Record<string, unknown> } }> {
  const method = call.method ?? 'GET';
  const algorithm = call.algorithm ?? 'HmacSHA1';
  const params: Record<string, string> = {
    Action: call.action ?? 'DescribeAssetImageScanSetting',
    Version: API_VERSION,
    Timestamp: String(call.timestamp ?? Math.floor(Date.now() / 1000)),
    Nonce: String(1 + Math.floor(Math.random() * 1e9)),
    SecretId: call.secretId ?? ACCOUNT_A.secretId,
    ...(call.omitSignatureMethod ? {} : { SignatureMethod: algorithm }),
    ...call.params,
  };
  for (const [name, value] of Object.entries(call.common ?? {})) {
    if (value === undefined) delete params[name];
    else params[name] = value;
  }
  const signature = handSignV1(method, call.signedHost ?? `127.0.0.1:${emulator.port}`, params, call.secretKey ?? ACCOUNT_A.secretKey, algorithm);
  params.Signature = call.signature ? call.signature(signature) : signature;
  const encoded = formEncode(params);
  const res =
    method === 'GET'
      ? await rawRequest(emulator.url, { method, path: `/?${encoded}`, headers: call.headers })
      : await rawRequest(emulator.url, { method, headers: { 'Content-Type': FORM, ...call.headers }, body: encoded });
  return { ...res, json: JSON.parse(res.text) as { Response: Record<string, unknown> } };
}

/** The error code of an API answer, or undefined on success. */
export function errorCode(res: { json: { Response: Record<string, unknown> } }): string | undefined {
  return (res.json.Response.Error as { Code?: string } | undefined)?.Code;
}

/** Starts an emulator with accounts A, B and T (token) unless told otherwise; the caller closes it. */
export function startTestEmulator(options: Partial<EmulatorOptions> = {}): Promise<Emulator> {
  return startEmulator({ accounts: [ACCOUNT_A, ACCOUNT_B, ACCOUNT_T], ...options });
}
