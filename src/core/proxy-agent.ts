/**
 * The undici ProxyAgent, in its own module so it is loaded only when a proxy applies. Every hop is bounded by the
 * timeout: the TCP connection to the proxy, its answer to CONNECT, the TLS handshake through the tunnel, and the
 * API's headers and body.
 */
import { Pool, ProxyAgent, type Dispatcher } from 'undici';

export function createProxyAgent(proxy: URL, timeoutMs: number): Dispatcher {
  return new ProxyAgent({
    uri: proxy.href,
    proxyTls: { timeout: timeoutMs },
    requestTls: { timeout: timeoutMs },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    keepAliveTimeout: 1000,
    clientFactory: (origin, options) => new Pool(origin, { ...options, headersTimeout: timeoutMs, bodyTimeout: timeoutMs }),
  });
}
