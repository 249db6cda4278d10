/**
 * Which HTTP(S) proxy a request goes through. `--proxy` (or `"proxy"` in the config file) wins and applies to
 * every request; otherwise the environment is read like undici's EnvHttpProxyAgent reads it: `https_proxy` /
 * `HTTPS_PROXY` for https:// endpoints (falling back to the http ones), `http_proxy` / `HTTP_PROXY` for http://,
 * lower case first, and `no_proxy` / `NO_PROXY` lists hosts to reach directly. Pure; the env is passed in.
 */
import type { Env } from '../env.js';
import { UsageError } from '../errors.js';
import { shownUrlInput, withDefaultScheme } from './url-input.js';

export interface ProxyChoice {
  url: URL;
  /** Where it came from: `--proxy`, a config file, or the variable name. */
  from: string;
}

/** A proxy URL with any user name and password replaced, safe to print. */
export function redactProxyUrl(url: URL): string {
  const hidden = url.username || url.password ? '***@' : '';
  return `${url.protocol}//${hidden}${url.host}`;
}

/**
 * Parses a proxy URL: http:// or https:// (a bare `host:port` means http://), no path or query. The error never
 * repeats the credentials it may contain.
 */
export function parseProxyUrl(value: string, where: string): URL {
  const raw = value.trim();
  // Shown as the proxy it names (scheme, host, port) when it parses, else as typed; credentials hidden either way.
  const shown = (): string => {
    try {
      return JSON.stringify(redactProxyUrl(new URL(withDefaultScheme(raw, 'http'))));
    } catch {
      return shownUrlInput(raw);
    }
  };
  const bad = (why: string): UsageError => new UsageError('Usage.InvalidValue', `${where} ${shown()} ${why}`);
  if (raw === '') throw new UsageError('Usage.InvalidValue', `${where} is empty: use a proxy URL such as http://proxy.example:3128`);
  let url: URL;
  try {
    url = new URL(withDefaultScheme(raw, 'http'));
  } catch {
    throw bad('is not a valid URL: use a proxy URL such as http://proxy.example:3128');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw bad('is not supported: use an http:// or https:// proxy URL');
  if (url.hostname === '') throw bad('has no host: use a proxy URL such as http://proxy.example:3128');
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) throw bad('must not have a path or query: use http://HOST:PORT');
  try {
    decodeURIComponent(url.username);
    decodeURIComponent(url.password);
  } catch {
    throw bad('has a badly %-encoded user name or password');
  }
  return url;
}

/** True when NO_PROXY says to reach `host:port` directly (entries: `*`, a host or domain, `.domain`, `*.domain`, with optional `:port`). */
export function bypassesProxy(hostname: string, port: string, noProxy: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  for (const entry of noProxy.split(/[,\s]+/)) {
    const item = entry.trim().toLowerCase();
    if (item === '') continue;
    if (item === '*') return true;
    // [v6]:port, [v6], host:port, a bare v6 address, or a host / domain.
    const match = /^\[([^\]]+)\](?::(\d+))?$/.exec(item) ?? /^([^:]+):(\d+)$/.exec(item);
    const name = (match ? (match[1] as string) : item).replace(/^\*?\./, '');
    const itemPort = match?.[2];
    if (itemPort !== undefined && itemPort !== port) continue;
    if (host === name || host.endsWith(`.${name}`)) return true;
  }
  return false;
}

function envValue(env: Env, names: readonly string[]): { value: string; name: string } | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') return { value, name };
  }
  return undefined;
}

/**
 * The proxy for a request to `target`, or undefined for a direct connection. `explicit` is `--proxy` or the
 * config file's `proxy`, already resolved by options.ts.
 */
/** `--proxy none` (or `direct`): connect directly, whatever the environment says. */
export function isNoProxy(value: string): boolean {
  return ['none', 'direct'].includes(value.trim().toLowerCase());
}

export function resolveProxy(target: string, explicit: { value: string; where: string } | undefined, env: Env): ProxyChoice | undefined {
  if (explicit !== undefined) {
    if (isNoProxy(explicit.value)) return undefined;
    return { url: parseProxyUrl(explicit.value, explicit.where), from: explicit.where };
  }
  const url = new URL(target);
  const names = url.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'] : ['http_proxy', 'HTTP_PROXY'];
  const chosen = envValue(env, names);
  if (chosen === undefined) return undefined;
  const noProxy = envValue(env, ['no_proxy', 'NO_PROXY']);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  if (noProxy && bypassesProxy(url.hostname, port, noProxy.value)) return undefined;
  return { url: parseProxyUrl(chosen.value, chosen.name), from: chosen.name };
}
