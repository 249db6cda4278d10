/**
 * The plain GETs of the credential chain (docs/credentials.md): the CVM metadata service and the GitHub Actions
 * ID-token service. Bounded like every request (transport.ts); the GitHub one goes through the proxy that applies
 * and is retried on transient failures, the metadata service (inside the instance) is never proxied, gets one
 * short attempt, and is asked only when the user chose the instance role.
 */
import type { Env } from '../env.js';
import { InterruptedError, NetworkError } from '../errors.js';
import type { HttpGetter } from '../credentials/index.js';
import { resolveProxy } from '../http/index.js';
import { sleep } from './sleep.js';
import type { Dispatcher } from 'undici';

/** Off a CVM the metadata host does not resolve or the connection hangs: give up quickly. */
export const METADATA_TIMEOUT_MS = 1000;

export interface HttpGetOptions {
  env: Env;
  /** Per attempt, for the token service. */
  timeoutMs: number;
  retries: number;
  retryBaseMs: number;
  /** --proxy, when given. */
  explicitProxy?: { value: string; where: string };
  signal?: AbortSignal;
}

const RETRIED = new Set(['Network.Timeout', 'Network.Refused', 'Network.Reset']);

export function createHttpGetter(options: HttpGetOptions): HttpGetter {
  return async (url, { headers = {}, purpose }) => {
    const { send } = await import('../http/transport.js');
    const metadata = purpose === 'metadata';
    const timeoutMs = metadata ? Math.min(METADATA_TIMEOUT_MS, options.timeoutMs) : options.timeoutMs;
    const proxy = metadata ? undefined : resolveProxy(url, options.explicitProxy, options.env);
    const attempts = metadata ? 1 : options.retries + 1;
    for (let attempt = 1; ; attempt += 1) {
      let owned: Dispatcher | undefined;
      try {
        if (proxy) {
          const { createProxyAgent } = await import('../http/proxy-agent.js');
          owned = createProxyAgent(proxy.url, timeoutMs);
        }
        const expired = AbortSignal.timeout(timeoutMs);
        const signal = options.signal ? AbortSignal.any([options.signal, expired]) : expired;
        let res;
        try {
          res = await send({ url, method: 'GET', headers }, { timeoutMs, signal, ...(owned ? { dispatcher: owned } : {}), maxBodyBytes: 64 * 1024 });
        } catch (error) {
          if (error instanceof InterruptedError && !options.signal?.aborted && expired.aborted) {
            throw new NetworkError('Network.Timeout', `no answer from ${new URL(url).host} within ${timeoutMs / 1000}s`, { cause: error });
          }
          throw error;
        }
        if (res.status >= 500 && attempt < attempts) throw new NetworkError('Network.BadStatus', `HTTP ${res.status}`);
        return { status: res.status, body: res.body.toString('utf8') };
      } catch (error) {
        const again = attempt < attempts && error instanceof NetworkError && (RETRIED.has(error.code) || error.code === 'Network.BadStatus');
        if (!again || options.signal?.aborted) throw error;
        await sleep(Math.random() * options.retryBaseMs * 2 ** (attempt - 1), options.signal);
      } finally {
        if (owned) await owned.destroy().catch(() => undefined);
      }
    }
  };
}
