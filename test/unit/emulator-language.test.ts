/** X-TC-Language zh-CN (the Python SDK's and tccli's default): the errors the server itself gives, in Chinese. */
import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/types.js';
import { VALID_CREATE, callApi, errorCode, rawRequest, startTestEmulator } from '../helpers/emulator-client.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const CJK = /[\u4e00-\u9fff]/;
const NOW = Math.floor(Date.now() / 1000);
const messageOf = (text: string): string => (JSON.parse(text) as { Response: { Error: { Message: string } } }).Response.Error.Message;

describe('emulator: messages in the caller\'s language', () => {
  it.each([
    ['zh-CN', true],
    ['en-US', false],
    [undefined, false],
  ])('X-TC-Language %s: size limit, rate limit, method and injected-fault messages', async (language, chinese) => {
    emulator = await startTestEmulator({ now: () => NOW * 1000, rateLimitPerSecond: 1 });
    const headers: Record<string, string> = language === undefined ? {} : { 'X-TC-Language': language };
    const big = await callApi(emulator, { action: 'CreateAssetImageScanSetting', body: { ...VALID_CREATE, Images: ['x'.repeat(1024 * 1024)] }, headers });
    expect(errorCode(big)).toBe('RequestSizeLimitExceeded');
    expect(CJK.test(messageOf(big.text))).toBe(chinese);
    expect(errorCode(await callApi(emulator, { timestamp: NOW, headers }))).toBeUndefined();
    const limited = await callApi(emulator, { timestamp: NOW, headers });
    expect(errorCode(limited)).toBe('RequestLimitExceeded');
    expect(CJK.test(messageOf(limited.text))).toBe(chinese);
    const put = await rawRequest(emulator.url, { method: 'PUT', headers, body: '{}' });
    expect(CJK.test(messageOf(put.text))).toBe(chinese);
    emulator.injectFault({ kind: 'api-error' });
    const injected = await rawRequest(emulator.url, { headers, body: '{}' });
    expect(CJK.test(messageOf(injected.text))).toBe(chinese);
  });
});
