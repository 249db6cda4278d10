/**
 * Builds, signs and sends one API call, and turns the answer into a Response object or a typed error.
 */
import { API_VERSION, CONTENT_TYPE, SERVICE, type ActionName, type ApiResponse, type Language } from '../api-model.js';
import type { Credentials, StsAction } from '../credentials/index.js';
import type { Endpoint } from '../http/index.js';
import { inspectDocument } from '../acyclic.js';
import { ApiError, NetworkError } from '../errors.js';
import { printable } from '../printable.js';
import { redactHeaders } from '../redact.js';
import { signRequest, type Signature } from '../signer/index.js';
// Types only: the transport (undici) is imported when a request is sent, so error rendering and --help,
// which use this module, never load it.
import type { HttpRequest, HttpResponse } from '../http/index.js';
import type { Dispatcher } from 'undici';

/** Another service than TCSS (STS): its credential-scope name and API version. */
export interface ApiService {
  name: string;
  version: string;
}

export interface ApiCall {
  action: ActionName | StsAction;
  /** Default: TCSS. */
  service?: ApiService;
  /** Sent with `Authorization: SKIP` (STS AssumeRoleWithWebIdentity), never signed. */
  skipAuthorization?: boolean;
  body: object;
  endpoint: Endpoint;
  region?: string;
  language?: Language;
  /** Missing only for dry runs without credentials: the request is then unsigned. */
  credentials?: Credentials;
  /** Unix milliseconds: the clock, injected. */
  now: number;
}

export interface PreparedRequest extends HttpRequest {
  body: string;
  signature?: Signature;
}

export const CLIENT_NAME = `tcss/${__TCSS_VERSION__}`;

/** The exact request that goes out: headers, body bytes and (with credentials) the signature. */
export function prepareRequest(call: ApiCall): PreparedRequest {
  const body = JSON.stringify(call.body);
  const timestamp = Math.floor(call.now / 1000);
  const headers: Record<string, string> = {
    'Content-Type': CONTENT_TYPE,
    Host: call.endpoint.hostname,
    'X-TC-Action': call.action,
    'X-TC-Version': call.service?.version ?? API_VERSION,
    'X-TC-Timestamp': String(timestamp),
    'X-TC-RequestClient': CLIENT_NAME,
  };
  // Never an empty X-TC-Region: the API rejects it (docs/api.md#endpoints-and-region).
  if (call.region) headers['X-TC-Region'] = call.region;
  if (call.language) headers['X-TC-Language'] = call.language;
  const prepared: PreparedRequest = { url: call.endpoint.url, method: 'POST', headers, body };
  if (call.skipAuthorization) {
    headers.Authorization = 'SKIP';
  } else if (call.credentials) {
    if (call.credentials.token) headers['X-TC-Token'] = call.credentials.token;
    const signature = signRequest({
      secretId: call.credentials.secretId,
      secretKey: call.credentials.secretKey,
      service: call.service?.name ?? SERVICE,
      timestamp,
      headers: { 'content-type': CONTENT_TYPE, host: call.endpoint.hostname },
      body,
    });
    headers.Authorization = signature.authorization;
    prepared.signature = signature;
  }
  // undici derives Host (with the port) from the URL; the signed host is the hostname, as the official SDK signs it.
  delete headers.Host;
  return prepared;
}

export { redactHeaders };

/** A body safe to print: an identity token in it (AssumeRoleWithWebIdentity) is replaced. */
export function redactBody(body: string): string {
  return body.replace(/("WebIdentityToken":)"(?:[^"\\]|\\.)*"/g, '$1"<redacted>"');
}

function describeBody(body: Buffer): string {
  const text = body.toString('utf8', 0, Math.min(body.length, 200)).replace(/\s+/g, ' ').trim();
  if (/^<(!doctype|html)/i.test(text)) {
    const title = /<title>([^<]{1,80})<\/title>/i.exec(body.toString('utf8', 0, 4096))?.[1];
    return `an HTML page${title ? ` ("${printable(title.trim(), 80)}")` : ''}`;
  }
  return body.length === 0 ? 'an empty body' : `${body.length} bytes that are not the API's JSON`;
}

/**
 * Checks an HTTP answer: the API always answers 200 with `{"Response":{…,"RequestId"}}`. An error inside it
 * is an ApiError; anything else is a NetworkError ("no valid answer").
 */
/** Nesting deeper than this is not an API answer (the deepest is about four levels). */
const MAX_RESPONSE_DEPTH = 64;

export function parseApiResponse(res: Pick<HttpResponse, 'status' | 'headers' | 'body'>): ApiResponse {
  if (res.status >= 300 && res.status < 400) {
    const location = printable(String(res.headers.location ?? ''), 120);
    throw new NetworkError('Network.Redirect', `the endpoint answered with a redirect (HTTP ${res.status}${location ? ` to ${location}` : ''}); tcss does not follow redirects`, {
      hint: 'check --endpoint',
    });
  }
  if (res.status !== 200) {
    throw new NetworkError('Network.BadStatus', `the endpoint answered HTTP ${res.status} with ${describeBody(res.body)}`, {
      hint: res.status >= 500 ? 'the service or a proxy had a problem; try again later' : 'check --endpoint and any proxy',
    });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(res.body);
  } catch {
    throw new NetworkError('Network.BadResponse', 'the answer is not valid UTF-8; it is not the API\'s JSON');
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new NetworkError('Network.BadResponse', `the endpoint answered HTTP 200 with ${describeBody(res.body)}`, { hint: 'check --endpoint and any proxy' });
  }
  // The API's answers are a few levels deep; a deeper one would only cost stack further on.
  if (inspectDocument(doc, { maxNodes: Infinity, maxDepth: MAX_RESPONSE_DEPTH }).problem === 'depth') {
    throw new NetworkError('Network.BadResponse', `the answer is JSON nested more than ${MAX_RESPONSE_DEPTH} levels deep; it is not the API's`);
  }
  const response = (doc as { Response?: unknown } | null)?.Response;
  if (typeof response !== 'object' || response === null || Array.isArray(response)) {
    throw new NetworkError('Network.BadResponse', 'the answer is JSON without a "Response" object, so it is not an answer from the API');
  }
  const r = response as Record<string, unknown>;
  // A real RequestId is a UUID; anything unprintable is not the API's (and must not reach a terminal).
  const requestId = typeof r.RequestId === 'string' && /^[\x21-\x7e]{1,128}$/.test(r.RequestId) ? r.RequestId : undefined;
  if (r.Error !== undefined) {
    const e = r.Error as { Code?: unknown; Message?: unknown } | null;
    if (typeof e?.Code !== 'string') throw new NetworkError('Network.BadResponse', 'the answer has an "Error" without a "Code", so it is not an answer from the API');
    throw new ApiError(printable(e.Code, 100), typeof e.Message === 'string' ? printable(e.Message) : '', requestId);
  }
  if (!requestId) throw new NetworkError('Network.BadResponse', 'the answer has no "RequestId", so it is not an answer from the API');
  return r as ApiResponse;
}

export interface SendCallOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  dispatcher?: Dispatcher;
  /** Receives debug lines (already redacted). */
  debug?: (line: string) => void;
  /** Sees the HTTP answer before it is parsed (status and `Date` for retries and clock-skew correction). */
  onResponse?: (res: HttpResponse) => void;
}

/** Prepares, signs, sends one call and parses the answer. */
export async function callApi(call: ApiCall, options: SendCallOptions): Promise<ApiResponse> {
  const prepared = prepareRequest(call);
  const debug = options.debug;
  if (debug) {
    debug(`${call.action} → POST ${prepared.url}`);
    if (prepared.signature) {
      debug(`canonical request:\n${prepared.signature.canonicalRequest}`);
      debug(`string to sign:\n${prepared.signature.stringToSign}`);
    } else debug(call.skipAuthorization ? 'not signed: Authorization: SKIP' : 'unsigned: no credentials');
    debug(`headers: ${JSON.stringify(redactHeaders(prepared.headers))}`);
    debug(`body: ${redactBody(prepared.body)}`);
  }
  const { send } = await import('../http/transport.js');
  const res = await send(prepared, { timeoutMs: options.timeoutMs, signal: options.signal, dispatcher: options.dispatcher });
  debug?.(`HTTP ${res.status} in ${res.durationMs.toFixed(0)} ms, ${res.body.length} bytes`);
  options.onResponse?.(res);
  try {
    return parseApiResponse(res);
  } catch (error) {
    if (error instanceof ApiError) error.action = call.action;
    throw error;
  }
}
