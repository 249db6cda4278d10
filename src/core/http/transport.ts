/**
 * The only network code: one HTTP request with undici, bounded in time and size. Failures become
 * NetworkError (exit 4) with a stable code and a reason; they are never dressed up as HTTP statuses.
 */
import type { Dispatcher } from 'undici';
// Only the parts of undici this module uses: its package root pulls in fetch, WebSocket, the cache and mock
// layers, which cost more start-up time than the request itself (docs/performance.md).
import Client from 'undici/lib/dispatcher/client.js';
import dispatchRequest from 'undici/lib/api/api-request.js';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { InterruptedError, NetworkError, UsageError } from '../errors.js';
import { isLoopback } from './endpoint.js';
import { PROXY_TUNNEL_CLOSED } from './proxy.js';
import { isTlsCode, tlsReason } from './tls.js';
import { monotonicMs } from './clock.js';
import { noteAnswered } from './process-state.js';

export interface HttpRequest {
  url: string;
  method: 'POST' | 'GET';
  headers: Record<string, string>;
  /** None for GET. */
  body?: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  durationMs: number;
}

export interface SendOptions {
  /** Bounds connect, response headers and body, each. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Reuse a dispatcher (proxy, tests); otherwise one is made and closed for this request. */
  dispatcher?: Dispatcher;
  /** Responses larger than this are refused without being read whole. */
  maxBodyBytes?: number;
}

export const MAX_RESPONSE_BYTES = 1024 * 1024;
/** The most an answer's headers may take, Node's own default: given, so that undici need not load node:http to learn it. */
export const MAX_HEADER_BYTES = 16 * 1024;

/** The code a lookup fails with when a plain http:// host resolves to an address off this machine. */
const NOT_LOOPBACK = 'TCSS_NOT_LOOPBACK';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * The resolver for plain http:// endpoints: the name was allowed because it names this machine (`localhost`,
 * `*.localhost`), but what counts is the address connected to, so the connection is made only to the addresses
 * the name resolved to, and only when every one of them is a loopback address. Nothing is sent otherwise.
 */
export function loopbackOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  // node:dns only when a name is looked up (an IP address never is): most runs never load it.
  void import('node:dns').then((dns) => dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const off = addresses.find((entry) => !isLoopback(entry.address));
    if (off) {
      return callback(Object.assign(new Error(`${hostname} resolves to ${off.address}`), { code: NOT_LOOPBACK, hostname, address: off.address }), []);
    }
    if (options.all) return callback(null, addresses);
    const first = addresses[0] as LookupAddress;
    return callback(null, first.address, first.family);
  }));
}

/** A dispatcher for one origin with the time bounds applied; the caller closes it. */
export function createDispatcher(origin: string, timeoutMs: number): Dispatcher {
  const plain = new URL(origin).protocol === 'http:';
  const connect = plain ? { timeout: timeoutMs, lookup: loopbackOnlyLookup } : { timeout: timeoutMs };
  return new Client(origin, { connect, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, keepAliveTimeout: 1000, maxHeaderSize: MAX_HEADER_BYTES });
}

/** Maps a low-level failure to a NetworkError with a reason a person can act on (a UsageError for a refused plain-http address). */
export function toNetworkError(error: unknown, url: string, timeoutMs: number, readingBody = false): NetworkError | UsageError {
  const err = error as { code?: string; name?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err.code ?? err.cause?.code ?? '';
  const host = new URL(url).host;
  const seconds = `${timeoutMs / 1000}s`;
  if (code === NOT_LOOPBACK) {
    const address = (err as { address?: string }).address ?? (err.cause as { address?: string } | undefined)?.address ?? 'another address';
    return new UsageError('Usage.InvalidValue', `${new URL(url).hostname} resolves to ${address}, which is not on this machine: plain http:// is only for loopback addresses; nothing was sent`, {
      cause: error,
      hint: 'use https://, or http://127.0.0.1 for the local emulator',
    });
  }
  if (code === PROXY_TUNNEL_CLOSED) {
    return new NetworkError('Network.Reset', `the proxy closed the tunnel to ${host} before answering CONNECT`, { cause: error, hint: 'check the proxy and that it allows CONNECT to this host' });
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return new NetworkError('Network.Timeout', `could not connect to ${host} within ${seconds}`, { cause: error, hint: 'check the network or raise --timeout' });
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new NetworkError('Network.Timeout', `${host} did not answer within ${seconds}`, { cause: error, hint: 'try again, or raise --timeout' });
  }
  if (code === 'ECONNREFUSED') return new NetworkError('Network.Refused', `connection to ${host} was refused`, { cause: error, hint: 'check --endpoint and that the service is up' });
  // With `Connection: close`, undici reads the end of the socket as the possible end of the answer: a body cut off
  // there fails as shorter than its Content-Length, or, chunked, as llhttp's "Invalid EOF state" (no code). Only
  // while the body is read: before that, the same two errors come from an answer that breaks HTTP itself.
  const truncated = readingBody && (code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' || (err.name === 'HTTPParserError' && /Invalid EOF state/.test(err.message ?? '')));
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE' || truncated) {
    return new NetworkError('Network.Reset', `the connection to ${host} was closed before the answer was complete`, { cause: error });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new NetworkError('Network.DNS', `cannot resolve ${new URL(url).hostname}`, { cause: error, hint: 'check --endpoint and your DNS or proxy settings' });
  if (isTlsCode(code) || /certificate|TLS|SSL/i.test(err.message ?? '')) {
    // A plain-HTTP server on that port (the local emulator, say): the fix is the scheme, not a certificate.
    const plain = /wrong version number|packet length too long|unknown protocol/i.test(`${err.message ?? ''} ${err.cause?.message ?? ''}`);
    return new NetworkError('Network.TLS', `TLS failed for ${host}: ${tlsReason(code, err.message ?? err.cause?.message)}`, {
      cause: error,
      hint: plain
        ? `the server there seems to speak plain HTTP (as the local emulator does): use --endpoint http://${host}`
        : 'if a proxy or private CA signs the connection, add its certificate with NODE_EXTRA_CA_CERTS=FILE',
    });
  }
  return new NetworkError('Network.Failed', `request to ${host} failed: ${code || (err.message ?? 'unknown error').split('\n')[0]}`, { cause: error });
}

/** Sends one request and reads the whole (bounded) answer. */
export async function send(req: HttpRequest, options: SendOptions): Promise<HttpResponse> {
  const limit = options.maxBodyBytes ?? MAX_RESPONSE_BYTES;
  const url = new URL(req.url);
  const owned = options.dispatcher ? undefined : createDispatcher(url.origin, options.timeoutMs);
  const dispatcher = options.dispatcher ?? (owned as Dispatcher);
  const started = monotonicMs();
  let readingBody = false;
  try {
    // undici follows no redirects unless a redirect interceptor is added; a 3xx comes back as it is.
    const res = await dispatchRequest.call(dispatcher, {
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: req.method,
      headers: req.headers,
      body: req.body,
      signal: options.signal,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      // One request per connection (a dispatcher of its own is closed after it): `Connection: close`, and undici
      // closes the socket as soon as the answer is complete, while the body is still being read, instead of
      // after it (about 1 ms sooner done on Node 20 against the local emulator).
      ...(owned ? { reset: true } : {}),
    });
    noteAnswered();
    readingBody = true;
    const declared = Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      res.body.destroy();
      throw new NetworkError('Network.TooLarge', `the answer is ${declared} bytes, over the ${limit}-byte limit, so it is not an answer from the API`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > limit) {
        res.body.destroy();
        throw new NetworkError('Network.TooLarge', `the answer is over the ${limit}-byte limit, so it is not an answer from the API`);
      }
      chunks.push(chunk as Buffer);
    }
    return { status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks), durationMs: monotonicMs() - started };
  } catch (error) {
    if (error instanceof NetworkError || error instanceof UsageError) throw error;
    if (options.signal?.aborted) throw new InterruptedError('Interrupted; the request was aborted.');
    throw toNetworkError(error, req.url, options.timeoutMs, readingBody);
  } finally {
    if (owned) await owned.destroy().catch(() => undefined);
  }
}
