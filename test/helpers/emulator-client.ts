/**
 * Test-side client for the emulator: builds a request signed with our signer and sends it with node:http, so a
 * test controls every header (Host included) and every body byte. No keep-alive: nothing outlives a test.
 */
import { request, type IncomingHttpHeaders } from 'node:http';
import { API_VERSION, CONTENT_TYPE, SERVICE } from '../../src/core/api-model.js';
import { signRequest } from '../../src/core/signer/index.js';
import { startEmulator } from '../../src/emulator/server.js';
import type { Emulator, EmulatorOptions } from '../../src/emulator/types.js';

export const ACCOUNT_A = { secretId: 'AKIDTESTACCOUNTA0000000000000000000', secretKey: 'keyA0000000000000000000000000000' };
export const ACCOUNT_B = { secretId: 'AKIDTESTACCOUNTB0000000000000000000', secretKey: 'keyB0000000000000000000000000000' };
export const ACCOUNT_T = {
  secretId: 'AKIDTESTACCOUNTT0000000000000000000',
  secretKey: 'keyT0000000000000000000000000000',
  token: 'session-token-T',
};

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
  const body = typeof call.body === 'string' ? call.body : JSON.stringify(call.body ?? {});
  const timestamp = call.timestamp ?? Math.floor(Date.now() / 1000);
  const contentType = call.contentType ?? CONTENT_TYPE;
  const secretId = call.secretId ?? ACCOUNT_A.secretId;
  const signed = signRequest({
    secretId,
    secretKey: call.secretKey ?? ACCOUNT_A.secretKey,
    service: call.service ?? SERVICE,
    timestamp,
    headers: { 'content-type': contentType, host: call.signedHost ?? '127.0.0.1', 'x-tc-action': call.action ?? 'DescribeAssetImageScanSetting' },
    signedHeaders: call.signedHeaders ?? ['content-type', 'host'],
    body: call.signedBody ?? body,
  });
  const headers: Record<string, string | undefined> = {
    'Content-Type': contentType,
    'X-TC-Action': call.action ?? 'DescribeAssetImageScanSetting',
    'X-TC-Version': API_VERSION,
    'X-TC-Timestamp': String(timestamp),
    Authorization: call.authorization ? call.authorization(signed.authorization) : signed.authorization,
  };
  if (call.token !== undefined) headers['X-TC-Token'] = call.token;
  for (const [name, value] of Object.entries(call.headers ?? {})) {
    const existing = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
    if (existing !== undefined) delete headers[existing];
    if (value !== undefined) headers[name] = value;
  }
  const sent = Object.fromEntries(Object.entries(headers).filter((e): e is [string, string] => e[1] !== undefined));
  const res = await rawRequest(emulator.url, { headers: sent, body, timeoutMs: call.timeoutMs });
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
