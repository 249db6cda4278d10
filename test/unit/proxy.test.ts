import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { bypassesProxy, parseProxyUrl, redactProxyUrl, resolveProxy } from '../../src/core/http/proxy.js';
import { clockOffsetMs, describeSkew, parseHttpDate } from '../../src/core/http/clock.js';
import { tlsReason } from '../../src/core/http/tls.js';

const HTTPS = 'https://tcss.intl.tencentcloudapi.com/';
const HTTP = 'http://127.0.0.1:9100/';

describe('resolveProxy', () => {
  const pick = (target: string, env: Record<string, string>, explicit?: string) =>
    resolveProxy(target, explicit === undefined ? undefined : { value: explicit, where: '--proxy' }, env);

  it.each<[string, Record<string, string>, string | undefined, string | undefined, string | undefined]>([
    [HTTPS, {}, undefined, undefined, undefined],
    [HTTPS, { HTTPS_PROXY: 'http://p:1' }, undefined, 'http://p:1/', 'HTTPS_PROXY'],
    [HTTPS, { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:1' }, undefined, 'http://lower:1/', 'https_proxy'],
    [HTTPS, { HTTP_PROXY: 'http://p:2' }, undefined, 'http://p:2/', 'HTTP_PROXY'],
    [HTTPS, { HTTPS_PROXY: '', HTTP_PROXY: 'http://p:2' }, undefined, 'http://p:2/', 'HTTP_PROXY'],
    [HTTP, { HTTPS_PROXY: 'http://p:1' }, undefined, undefined, undefined],
    [HTTP, { http_proxy: 'p:3' }, undefined, 'http://p:3/', 'http_proxy'],
    [HTTPS, { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'tencentcloudapi.com' }, undefined, undefined, undefined],
    [HTTPS, { HTTPS_PROXY: 'http://p:1', no_proxy: '.intl.tencentcloudapi.com' }, undefined, undefined, undefined],
    [HTTPS, { HTTPS_PROXY: 'http://p:1', NO_PROXY: '*' }, undefined, undefined, undefined],
    [HTTPS, { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'othertencentcloudapi.com,example.org' }, undefined, 'http://p:1/', 'HTTPS_PROXY'],
    [HTTPS, { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'tcss.intl.tencentcloudapi.com:8443' }, undefined, 'http://p:1/', 'HTTPS_PROXY'],
    [HTTPS, { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'tcss.intl.tencentcloudapi.com:443' }, undefined, undefined, undefined],
    [HTTP, { HTTP_PROXY: 'http://p:1', NO_PROXY: '127.0.0.1:9100' }, undefined, undefined, undefined],
    [HTTPS, { HTTPS_PROXY: 'http://env:1', NO_PROXY: '*' }, 'http://flag:9', 'http://flag:9/', '--proxy'],
  ])('%s %j --proxy=%s → %s (%s)', (target, env, explicit, url, from) => {
    const choice = pick(target, env, explicit);
    expect(choice?.url.href).toBe(url);
    expect(choice?.from).toBe(from);
  });

  it('an unusable proxy variable is a usage error naming it', () => {
    expect(() => pick(HTTPS, { HTTPS_PROXY: 'socks5://p:1080' })).toThrow(/^HTTPS_PROXY "socks5:\/\/p:1080" is not supported/);
  });
});

describe('parseProxyUrl', () => {
  it.each(['', ' ', 'socks5://h:1', 'ftp://h', 'http://', 'http://h:1/path', 'http://h:1/?q', 'http://%zz:x@h:1', 'http://h:99999'])('refuses %j', (value) => {
    expect(() => parseProxyUrl(value, '--proxy')).toThrow(UsageError);
  });

  it('never repeats the credentials in an error', () => {
    for (const value of ['socks5://bob:t0p-secret@h:1', 'http://bob:t0p-secret@h:1/path', 'bob:t0p-secret@h:99999999']) {
      try {
        parseProxyUrl(value, '--proxy');
        expect.unreachable();
      } catch (error) {
        expect((error as Error).message).not.toContain('t0p-secret');
      }
    }
  });

  it('redacts user and password for display', () => {
    expect(redactProxyUrl(new URL('http://bob:pw@proxy.example:3128'))).toBe('http://***@proxy.example:3128');
    expect(redactProxyUrl(new URL('https://proxy.example'))).toBe('https://proxy.example');
  });

  it('NO_PROXY matching', () => {
    expect(bypassesProxy('a.b.example', '443', 'example')).toBe(true);
    expect(bypassesProxy('notexample', '443', 'example')).toBe(false);
    expect(bypassesProxy('::1', '80', '[::1]')).toBe(true);
    expect(bypassesProxy('[::1]', '80', '[::1]:80')).toBe(true);
    expect(bypassesProxy('::1', '81', '[::1]:80')).toBe(false);
    expect(bypassesProxy('h', '1', ' , ')).toBe(false);
  });
});

describe('clock', () => {
  it('reads IMF-fixdate only', () => {
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT')).toBe(Date.UTC(1994, 10, 6, 8, 49, 37));
    expect(parseHttpDate(['Sun, 06 Nov 1994 08:49:37 GMT'])).toBe(Date.UTC(1994, 10, 6, 8, 49, 37));
    for (const bad of [undefined, '', 'yesterday', '1994-11-06T08:49:37Z', 'Sun, 06 Nov 1994 08:49:37 PST']) expect(parseHttpDate(bad)).toBeUndefined();
  });

  it('offset and wording', () => {
    expect(clockOffsetMs(1_000_000, 400_000)).toBe(600_500);
    expect(describeSkew(600_500)).toBe("your clock is 601 s behind the server's");
    expect(describeSkew(-899_600)).toBe("your clock is 900 s ahead of the server's");
    expect(describeSkew(300)).toBe("your clock agrees with the server's to within a second");
  });
});

describe('tlsReason', () => {
  it('explains known codes and plain-http ports', () => {
    expect(tlsReason('CERT_HAS_EXPIRED', '')).toBe('its certificate has expired (CERT_HAS_EXPIRED)');
    expect(tlsReason('EPROTO', 'C0:error:0A00010B:SSL routines:ssl3_get_record:wrong version number')).toMatch(/does not speak TLS/);
    expect(tlsReason('', 'odd\nmore')).toBe('odd');
  });
});
