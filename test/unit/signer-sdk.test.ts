/**
 * Cross-check against the official signer (tencentcloud-sdk-nodejs-common Sign.sign3): for random bodies,
 * timestamps, hosts and keys, tcss's signRequest and prepareRequest produce the Authorization the SDK computes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONTENT_TYPE, ACTION_CREATE, ACTION_DESCRIBE } from '../../src/core/api-model.js';
import { prepareRequest } from '../../src/core/api/client.js';
import { parseEndpoint } from '../../src/core/http/endpoint.js';
import { toRequestBody, type ImageScanSettings } from '../../src/core/settings/fields.js';
import { parseAuthorization, signRequest } from '../../src/core/signer/index.js';
import { sdkAuthorization } from '../helpers/sdk-sign.js';

const RUNS = { numRuns: 200 };
const DAY = 86_400;

/** Any Unix time from 1970 to 2100, half of them within a few seconds of a UTC midnight. */
const timestampArb = fc.oneof(
  fc.integer({ min: 0, max: 4_102_444_800 }),
  fc.tuple(fc.integer({ min: 1, max: 47_000 }), fc.integer({ min: -3, max: 3 })).map(([day, offset]) => day * DAY + offset),
);

/** JSON object bodies, with arbitrary Unicode (astral planes, combining marks) in keys and strings. */
const bodyArb = fc
  .dictionary(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.jsonValue({ stringUnit: 'grapheme', maxDepth: 3 }), { maxKeys: 8 })
  .map((value) => JSON.stringify(value));

/** Hosts as a user may type them (mixed case), IPv4 and IPv6 literals, with or without a port. */
const hostArb = fc.tuple(
  fc.oneof(
    fc.domain(),
    fc.domain().map((d) => d.toUpperCase()),
    fc.ipV4(),
    fc.ipV6().map((ip) => `[${ip}]`),
    fc.constantFrom('tcss.intl.tencentcloudapi.com', 'tcss.tencentcloudapi.com', 'tcss.ap-guangzhou.tencentcloudapi.com', '127.0.0.1', 'localhost'),
  ),
  fc.option(fc.integer({ min: 1, max: 65_535 }), { nil: undefined }),
);

const secretArb = fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }), fc.stringMatching(/^[A-Za-z0-9]{20,48}$/));

describe('signRequest agrees with the official SDK signer', () => {
  it('for random bodies, timestamps (incl. around UTC midnight), hosts and keys', () => {
    fc.assert(
      fc.property(bodyArb, timestampArb, hostArb, secretArb, secretArb, (body, timestamp, [host, port], secretId, secretKey) => {
        const url = new URL(`https://${host}${port === undefined ? '' : `:${port}`}/`);
        const ours = signRequest({
          secretId,
          secretKey,
          service: 'tcss',
          timestamp,
          headers: { 'content-type': CONTENT_TYPE, host: url.hostname },
          body,
        });
        const official = sdkAuthorization({ url: url.href, body: Buffer.from(body, 'utf8'), timestamp, secretId, secretKey, contentType: CONTENT_TYPE });
        expect(ours.authorization).toBe(official);
      }),
      RUNS,
    );
  });

  it('signs the host as typed the same as the SDK does after URL normalisation (lower case)', () => {
    const timestamp = 1_700_000_000;
    const ours = signRequest({
      secretId: 'AKIDexample',
      secretKey: 'key',
      service: 'tcss',
      timestamp,
      headers: { 'content-type': CONTENT_TYPE, host: 'TCSS.TencentCloudAPI.com' },
      body: '{}',
    });
    const official = sdkAuthorization({ url: 'https://tcss.tencentcloudapi.com/', body: '{}', timestamp, secretId: 'AKIDexample', secretKey: 'key', contentType: CONTENT_TYPE });
    expect(ours.authorization).toBe(official);
  });

  it('the date in the scope flips exactly at UTC midnight, as in the SDK', () => {
    const midnight = Date.UTC(2024, 0, 1) / 1000;
    const before = signRequest({ secretId: 'id', secretKey: 'k', service: 'tcss', timestamp: midnight - 1, headers: { 'content-type': CONTENT_TYPE, host: 'h.example' }, body: '{}' });
    const after = signRequest({ secretId: 'id', secretKey: 'k', service: 'tcss', timestamp: midnight, headers: { 'content-type': CONTENT_TYPE, host: 'h.example' }, body: '{}' });
    expect(parseAuthorization(before.authorization)?.date).toBe('2023-12-31');
    expect(parseAuthorization(after.authorization)?.date).toBe('2024-01-01');
    for (const [signed, ts] of [
      [before, midnight - 1],
      [after, midnight],
    ] as const) {
      expect(signed.authorization).toBe(
        sdkAuthorization({ url: 'https://h.example/', body: '{}', timestamp: ts, secretId: 'id', secretKey: 'k', contentType: CONTENT_TYPE }),
      );
    }
  });

  it('a different body, key or timestamp gives a different signature (the check can fail)', () => {
    const base = { secretId: 'id', secretKey: 'k', service: 'tcss', timestamp: 1_700_000_000, headers: { 'content-type': CONTENT_TYPE, host: 'h.example' }, body: '{"a":1}' };
    const official = sdkAuthorization({ url: 'https://h.example/', body: '{"a":1}', timestamp: 1_700_000_000, secretId: 'id', secretKey: 'k', contentType: CONTENT_TYPE });
    expect(signRequest(base).authorization).toBe(official);
    expect(signRequest({ ...base, body: '{"a": 1}' }).authorization).not.toBe(official);
    expect(signRequest({ ...base, secretKey: 'k ' }).authorization).not.toBe(official);
    expect(signRequest({ ...base, timestamp: 1_700_000_001 }).authorization).not.toBe(official);
  });
});

const timeArb = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const refArb = fc.oneof(fc.stringMatching(/^sha256:[0-9a-f]{8,64}$/), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).filter((s) => !s.includes(',') && s.trim() !== ''));

const settingsArb: fc.Arbitrary<ImageScanSettings> = fc.record(
  {
    enable: fc.boolean(),
    scanTime: timeArb,
    scanPeriod: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    scanVirus: fc.boolean(),
    scanRisk: fc.boolean(),
    scanVul: fc.boolean(),
    scanEndTime: timeArb,
    containerRunning: fc.boolean(),
    scanScope: fc.constantFrom(0 as const, 1 as const, 2 as const, 3 as const),
    images: fc.array(refArb, { maxLength: 4 }),
    excludeImages: fc.array(refArb, { maxLength: 4 }),
    clusterIds: fc.array(fc.stringMatching(/^cls-[a-z0-9]{4,8}$/), { maxLength: 3 }),
  },
  { requiredKeys: ['enable', 'scanTime', 'scanPeriod', 'scanVirus', 'scanRisk', 'scanVul'] },
);

describe('prepareRequest produces an Authorization the SDK signer reproduces', () => {
  it('for random settings bodies, clocks, endpoints, keys and tokens', () => {
    fc.assert(
      fc.property(
        settingsArb,
        fc.integer({ min: 0, max: 4_102_444_800_999 }),
        fc.constantFrom('tcss.intl.tencentcloudapi.com', 'https://tcss.tencentcloudapi.com', 'http://127.0.0.1:8080', 'https://Tcss.AP-Guangzhou.tencentcloudapi.com:8443', 'http://[::1]:9000'),
        fc.stringMatching(/^AKID[A-Za-z0-9]{12,32}$/),
        fc.stringMatching(/^[A-Za-z0-9]{16,40}$/),
        fc.option(fc.stringMatching(/^[A-Za-z0-9]{20,60}$/), { nil: undefined }),
        fc.option(fc.constantFrom('ap-guangzhou', 'ap-singapore'), { nil: undefined }),
        (settings, nowMs, endpointText, secretId, secretKey, token, region) => {
          const endpoint = parseEndpoint(endpointText);
          const prepared = prepareRequest({
            action: ACTION_CREATE,
            body: toRequestBody(settings),
            endpoint,
            now: nowMs,
            region,
            credentials: { secretId, secretKey, token, source: 'test' },
          });
          const timestamp = Number(prepared.headers['X-TC-Timestamp']);
          expect(timestamp).toBe(Math.floor(nowMs / 1000));
          expect(prepared.headers['Content-Type']).toBe(CONTENT_TYPE);
          expect(prepared.headers['X-TC-Token']).toBe(token);
          expect(prepared.headers['X-TC-Region']).toBe(region);
          expect(JSON.parse(prepared.body)).toEqual(toRequestBody(settings));
          const official = sdkAuthorization({ url: endpoint.url, body: Buffer.from(prepared.body, 'utf8'), timestamp, secretId, secretKey, contentType: prepared.headers['Content-Type'] as string });
          expect(prepared.headers.Authorization).toBe(official);
        },
      ),
      RUNS,
    );
  });

  it('for the Describe call with an empty object body', () => {
    const endpoint = parseEndpoint(undefined);
    const now = Date.UTC(2025, 5, 30, 23, 59, 59, 999);
    const prepared = prepareRequest({ action: ACTION_DESCRIBE, body: {}, endpoint, now, credentials: { secretId: 'AKIDabc', secretKey: 'xyz', source: 'test' } });
    expect(prepared.body).toBe('{}');
    expect(prepared.headers['X-TC-Timestamp']).toBe(String(Math.floor(now / 1000)));
    expect(prepared.headers.Authorization).toBe(
      sdkAuthorization({ url: 'https://tcss.intl.tencentcloudapi.com/', body: '{}', timestamp: Math.floor(now / 1000), secretId: 'AKIDabc', secretKey: 'xyz', contentType: 'application/json' }),
    );
    expect(prepared.headers.Authorization).toContain('/2025-06-30/tcss/tc3_request');
  });

  it('without credentials the request is unsigned and carries no token', () => {
    const prepared = prepareRequest({ action: ACTION_DESCRIBE, body: {}, endpoint: parseEndpoint(undefined), now: 0 });
    expect(prepared.headers.Authorization).toBeUndefined();
    expect(prepared.headers['X-TC-Token']).toBeUndefined();
    expect(prepared.signature).toBeUndefined();
  });
});
