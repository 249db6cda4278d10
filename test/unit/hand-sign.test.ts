/** The tests' own signer reproduces the official vectors, so the emulator tests that use it can be trusted. */
import { describe, expect, it } from 'vitest';
import { handSignTc3, handSignV1 } from '../helpers/hand-sign.js';

const ID = 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE';
const KEY = 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE';

describe('test signer: official vectors', () => {
  it('TC3 POST', () => {
    const body = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}';
    const signed = handSignTc3({
      secretId: ID,
      secretKey: KEY,
      service: 'cvm',
      timestamp: 1551113065,
      method: 'POST',
      query: '',
      headers: { 'content-type': 'application/json; charset=utf-8', host: 'cvm.tencentcloudapi.com' },
      payload: body,
    });
    expect(signed.canonicalRequest.split('\n').at(-1)).toBe('35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064');
    expect(signed.hashedCanonicalRequest).toBe('5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031');
    expect(signed.authorization).toBe(
      `TC3-HMAC-SHA256 Credential=${ID}/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168`,
    );
  });

  it('TC3 GET', () => {
    const signed = handSignTc3({
      secretId: ID,
      secretKey: KEY,
      service: 'cvm',
      timestamp: 1539084154,
      method: 'GET',
      query: 'Limit=10&Offset=0',
      headers: { 'content-type': 'application/x-www-form-urlencoded', host: 'cvm.tencentcloudapi.com' },
      payload: '',
    });
    expect(signed.signature).toBe('5da7a33f6993f0614b047e5df4582db9e9bf4672ba50567dba16c6ccf174c474');
  });

  it('Signature v1 (HmacSHA1, GET)', () => {
    const params = {
      Action: 'DescribeInstances',
      'InstanceIds.0': 'ins-09dx96dg',
      Limit: '20',
      Nonce: '11886',
      Offset: '0',
      Region: 'ap-guangzhou',
      SecretId: ID,
      Timestamp: '1465185768',
      Version: '2017-03-12',
    };
    expect(handSignV1('GET', 'cvm.tencentcloudapi.com', params, KEY)).toBe('EliP9YW3pW28FpsEdkXt/+WcGeI=');
  });
});
