import { describe, expect, it } from 'vitest';
import { buildCanonicalRequest, sha256Hex, signRequest, utcDate } from '../../src/core/signer/index.js';

// Official Signature v3 vectors (docs/api.md#official-test-vectors).
const SECRET_ID = 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE';
const SECRET_KEY = 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE';

describe('TC3-HMAC-SHA256 official vectors', () => {
  it('reproduces the POST vector to the last character', () => {
    const body = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}';
    expect(sha256Hex(body)).toBe('35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064');
    const signed = signRequest({
      secretId: SECRET_ID,
      secretKey: SECRET_KEY,
      service: 'cvm',
      timestamp: 1551113065,
      headers: { 'Content-Type': 'application/json; charset=utf-8', Host: 'cvm.tencentcloudapi.com' },
      body,
    });
    expect(sha256Hex(signed.canonicalRequest)).toBe('5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031');
    expect(signed.date).toBe('2019-02-25');
    expect(signed.signature).toBe('72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168');
    expect(signed.authorization).toBe(
      'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, ' +
        'SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168',
    );
  });

  it('reproduces the GET vector', () => {
    const signed = signRequest({
      secretId: SECRET_ID,
      secretKey: SECRET_KEY,
      service: 'cvm',
      timestamp: 1539084154,
      method: 'GET',
      query: 'Limit=10&Offset=0',
      headers: { 'content-type': 'application/x-www-form-urlencoded', host: 'cvm.tencentcloudapi.com' },
      body: '',
    });
    expect(signed.signature).toBe('5da7a33f6993f0614b047e5df4582db9e9bf4672ba50567dba16c6ccf174c474');
  });
});

describe('signer details', () => {
  it('uses the UTC date, not the local one', () => {
    // 2019-02-25T23:59:59Z and one second later.
    expect(utcDate(1551139199)).toBe('2019-02-25');
    expect(utcDate(1551139200)).toBe('2019-02-26');
  });

  it('sorts, lower-cases and trims signed headers', () => {
    const cr = buildCanonicalRequest({
      method: 'post',
      headers: { Host: '  Example.COM ', 'Content-Type': 'application/json' },
      signedHeaders: ['Host', 'Content-Type'],
      body: '',
    });
    expect(cr.signedHeaders).toBe('content-type;host');
    expect(cr.text.split('\n').slice(0, 5)).toEqual(['POST', '/', '', 'content-type:application/json', 'host:example.com']);
  });

  it('refuses to sign a header it does not have', () => {
    expect(() =>
      buildCanonicalRequest({ method: 'POST', headers: { host: 'h' }, signedHeaders: ['content-type', 'host'], body: '' }),
    ).toThrow(/content-type/);
  });
});
