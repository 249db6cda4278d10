/**
 * The undici ProxyAgent, in its own module so it is loaded only when a proxy applies. Every hop is bounded by the
 * timeout: the TCP connection to the proxy, its answer to CONNECT, the TLS handshake through the tunnel, and the
 * API's headers and body.
 */
import { isIP } from 'node:net';
import type { Dispatcher, Pool as PoolType } from 'undici';
// From their own files, like the transport's Client: the package root would load fetch, WebSocket, the cache
// and mock layers the transport does without (docs/performance.md).
import dispatchConnect from 'undici/lib/api/api-connect.js';
import Pool from 'undici/lib/dispatcher/pool.js';
import ProxyAgent from 'undici/lib/dispatcher/proxy-agent.js';
import { PROXY_TUNNEL_CLOSED } from './proxy.js';
import { MAX_HEADER_BYTES } from './transport.js';

/** Socket errors undici treats as worth reconnecting for, at once and without end. */
const RECONNECTED_CODES = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

/** What ProxyAgent passes to connect(): the CONNECT request, and the TLS server name of the proxy. */
type TunnelOptions = Dispatcher.ConnectOptions & { servername?: string };

type Connector = (opts: { servername?: string | null; [key: string]: unknown }, callback: (...args: unknown[]) => void) => unknown;

/** A pool to the proxy, bounded by the timeout, able to open tunnels. */
function proxyPool(origin: URL | string, options: PoolType.Options, timeoutMs: number): PoolType {
  // ProxyAgent names the proxy's host as the TLS server name even when it is an IP address, which TLS does not
  // allow (Node prints a deprecation warning). The name stays on the CONNECT request (without one, undici would
  // take the target's name from its Host header and check the proxy's certificate against that), and is
  // dropped only where the TLS connection to the proxy is made: the certificate is checked against the address.
  const inner = options.connect as Connector | undefined;
  const connect =
    typeof inner === 'function'
      ? ((opts, callback) => inner({ ...opts, servername: typeof opts.servername === 'string' && isIP(opts.servername) !== 0 ? null : opts.servername }, callback)) as Connector
      : options.connect;
  const pool = new Pool(origin, { ...options, connect: connect as PoolType.Options['connect'], headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  // ProxyAgent opens each tunnel with the proxy pool's connect() (HTTP CONNECT): one of the methods undici's
  // package root adds to every dispatcher, given here to this pool alone.
  pool.connect = function connect(this: PoolType, opts: TunnelOptions) {
    // A proxy that closes the tunnel before answering CONNECT: undici would take that for a socket that can be
    // opened again and reconnect at once, over and over, until the timeout (thousands of connections a second).
    // Given another code, the request fails, and the attempt ends with its one connection.
    return (dispatchConnect.call(this, opts) as Promise<unknown>).catch((error: { code?: string; message?: string }) => {
      if (!RECONNECTED_CODES.has(error?.code ?? '')) throw error;
      throw Object.assign(new Error(`the proxy closed the tunnel before answering CONNECT (${error.code})`), { code: PROXY_TUNNEL_CLOSED, cause: error });
    });
  } as PoolType['connect'];
  return pool;
}

export function createProxyAgent(proxy: URL, timeoutMs: number): Dispatcher {
  return new ProxyAgent({
    uri: proxy.href,
    proxyTls: { timeout: timeoutMs },
    requestTls: { timeout: timeoutMs },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    keepAliveTimeout: 1000,
    maxHeaderSize: MAX_HEADER_BYTES,
    clientFactory: (origin, options) => proxyPool(origin, { ...options, maxHeaderSize: MAX_HEADER_BYTES }, timeoutMs),
  });
}
