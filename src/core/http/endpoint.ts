import { isIP } from 'node:net';
import { DEFAULT_HOST } from '../api-model.js';
import { UsageError } from '../errors.js';
import { shownUrlInput, withDefaultScheme } from './url-input.js';

/** Where requests go. The signed `host` is the hostname, as the official SDK signs it. */
export interface Endpoint {
  /** Origin with a trailing slash, e.g. `https://tcss.intl.tencentcloudapi.com/`. */
  url: string;
  /** Hostname without port: the value signed as `host`. */
  hostname: string;
  protocol: 'https:' | 'http:';
}

/** True for 127.0.0.0/8, ::1 and localhost. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

/**
 * Parses `--endpoint HOST|URL`. A bare host means HTTPS. Plain `http://` is allowed only for loopback
 * addresses (the local emulator): anywhere else it would send signed requests in the clear.
 */
export function parseEndpoint(value: string | undefined, where = '--endpoint'): Endpoint {
  const raw = (value ?? DEFAULT_HOST).trim();
  const bad = (why: string): UsageError => new UsageError('Usage.InvalidValue', `${where} ${shownUrlInput(raw)} ${why}`);
  if (raw === '') throw bad('is empty: use a host such as tcss.tencentcloudapi.com or a URL');
  let url: URL;
  try {
    url = new URL(withDefaultScheme(raw, 'https'));
  } catch {
    throw bad('is not a valid host or URL: use a host such as tcss.tencentcloudapi.com or https://HOST');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw bad('must use https:// (or http:// for a loopback address)');
  if (url.username || url.password) throw bad('must not contain a user name or password');
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) throw bad('must be a host or origin without a path or query');
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw bad('uses plain http:// for a host that is not on this machine: use https://, or http:// only for 127.0.0.1, ::1 or localhost');
  }
  return { url: `${url.origin}/`, hostname: url.hostname, protocol: url.protocol };
}
