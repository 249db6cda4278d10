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

/** What ProxyAgent passes to connect(): the CONNECT request, and the TLS server name of the proxy. */
type TunnelOptions = Dispatcher.ConnectOptions & { servername?: string };

/** A pool to the proxy, bounded by the timeout, able to open tunnels. */
function proxyPool(origin: URL | string, options: PoolType.Options, timeoutMs: number): PoolType {
  const pool = new Pool(origin, { ...options, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  // ProxyAgent opens each tunnel with the proxy pool's connect() (HTTP CONNECT): one of the methods undici's
  // package root adds to every dispatcher, given here to this pool alone. ProxyAgent names the proxy's host as
  // the TLS server name even when it is an IP address, which TLS does not allow (Node prints a deprecation
  // warning); without a name, the certificate is checked against the address all the same.
  pool.connect = function connect(this: PoolType, opts: TunnelOptions) {
    const options = opts.servername !== undefined && isIP(opts.servername) !== 0 ? { ...opts, servername: undefined } : opts;
    return dispatchConnect.call(this, options);
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
    clientFactory: (origin, options) => proxyPool(origin, options, timeoutMs),
  });
}
