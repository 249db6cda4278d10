import { afterEach, describe, expect, it } from 'vitest';
import { ACTION_INPUTS } from '../../src/core/api-model.js';
import { toLongTime, validateBody } from '../../src/emulator/validate.js';
import type { Emulator } from '../../src/emulator/types.js';
import { VALID_CREATE, callApi, errorCode, startTestEmulator } from '../helpers/emulator-client.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const CREATE = 'CreateAssetImageScanSetting';
const CREATE_FIELDS = ACTION_INPUTS[CREATE];
const { ScanTime: _dropped, ...withoutScanTime } = VALID_CREATE;

const cases: [string, string, unknown, string][] = [
  ['not JSON', CREATE, '{"Enable":', 'InvalidParameter.ParsingError'],
  ['a JSON array', CREATE, '[]', 'InvalidParameter.ParsingError'],
  ['JSON null', CREATE, 'null', 'InvalidParameter.ParsingError'],
  ['an empty body', CREATE, '', 'InvalidParameter.ParsingError'],
  ['an unknown parameter', CREATE, { ...VALID_CREATE, ScanDays: 1 }, 'UnknownParameter'],
  ['a parameter in the wrong case', CREATE, { ...VALID_CREATE, enable: true }, 'UnknownParameter'],
  ['a missing required parameter', CREATE, withoutScanTime, 'MissingParameter'],
  ['a string for a Boolean', CREATE, { ...VALID_CREATE, Enable: 'true' }, 'InvalidParameter'],
  ['a number for a String', CREATE, { ...VALID_CREATE, ScanTime: 100 }, 'InvalidParameter'],
  ['a string for an Integer', CREATE, { ...VALID_CREATE, ScanPeriod: '1' }, 'InvalidParameter'],
  ['a fraction for an Integer', CREATE, { ...VALID_CREATE, ScanPeriod: 1.5 }, 'InvalidParameter'],
  ['a string for an Array of String', CREATE, { ...VALID_CREATE, Images: 'sha256:abc' }, 'InvalidParameter'],
  ['a number inside an Array of String', CREATE, { ...VALID_CREATE, ClusterIDs: ['cls-1', 2] }, 'InvalidParameter'],
  ['null for an optional field', CREATE, { ...VALID_CREATE, ScanScope: null }, 'InvalidParameter'],
  ['ScanScope 4', CREATE, { ...VALID_CREATE, ScanScope: 4 }, 'InvalidParameterValue.DataRange'],
  ['ScanScope -1', CREATE, { ...VALID_CREATE, ScanScope: -1 }, 'InvalidParameterValue.DataRange'],
  ['ScanPeriod -1', CREATE, { ...VALID_CREATE, ScanPeriod: -1 }, 'InvalidParameterValue.DataRange'],
  ['ScanPeriod 0 (tcss refuses it too)', CREATE, { ...VALID_CREATE, ScanPeriod: 0 }, 'InvalidParameterValue.DataRange'],
  ['ScanPeriod 2147483648', CREATE, { ...VALID_CREATE, ScanPeriod: 2147483648 }, 'InvalidParameterValue.DataRange'],
  ['ScanPeriod 1e20', CREATE, `{"Enable":true,"ScanTime":"01:00","ScanPeriod":1e20,"ScanVirus":true,"ScanRisk":true,"ScanVul":true}`, 'InvalidParameterValue.DataRange'],
  ['ScanTime a date-time that is not a real date', CREATE, { ...VALID_CREATE, ScanTime: '2020-02-30 15:53:26' }, 'InvalidParameter.InvalidFormat'],
  ['ScanTime a date without a time', CREATE, { ...VALID_CREATE, ScanTime: '2020-12-28' }, 'InvalidParameter.InvalidFormat'],
  ['ScanTime ""', CREATE, { ...VALID_CREATE, ScanTime: '' }, 'InvalidParameter.InvalidFormat'],
  ['ScanTime 24:00', CREATE, { ...VALID_CREATE, ScanTime: '24:00' }, 'InvalidParameter.InvalidFormat'],
  ['ScanTime 1:00', CREATE, { ...VALID_CREATE, ScanTime: '1:00' }, 'InvalidParameter.InvalidFormat'],
  ['ScanEndTime 02:60', CREATE, { ...VALID_CREATE, ScanEndTime: '02:60' }, 'InvalidParameter.InvalidFormat'],
  ['a parameter on Describe', 'DescribeAssetImageScanSetting', { Enable: true }, 'UnknownParameter'],
  ['not JSON on Describe', 'DescribeAssetImageScanSetting', 'x', 'InvalidParameter.ParsingError'],
];

describe('emulator: body validation against the wire model', () => {
  it.each(cases)('%s → %s', async (_name, action, body, code) => {
    emulator = await startTestEmulator();
    const res = await callApi(emulator, { action, body });
    expect(errorCode(res)).toBe(code);
    expect(emulator.settingsOf('AKIDTESTACCOUNTA0000000000000000000')).toBeUndefined();
  });

  it.each(cases)('%s, with X-TC-Language zh-CN → %s in Chinese', async (_name, action, body, code) => {
    emulator = await startTestEmulator();
    const res = await callApi(emulator, { action, body, headers: { 'X-TC-Language': 'zh-CN' } });
    expect(errorCode(res)).toBe(code);
    expect((res.json.Response.Error as { Message: string }).Message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('names the field and the expected type in a type error', () => {
    const checked = validateBody(CREATE_FIELDS, JSON.stringify({ ...VALID_CREATE, ScanPeriod: '1' }));
    expect(checked).toEqual({ ok: false, failure: { code: 'InvalidParameter', message: { en: expect.stringMatching(/ScanPeriod.*Integer/), zh: expect.stringMatching(/ScanPeriod.*整数/) } } });
  });

  it('names the missing parameter', () => {
    const checked = validateBody(CREATE_FIELDS, JSON.stringify(withoutScanTime));
    expect(checked).toEqual({ ok: false, failure: { code: 'MissingParameter', message: { en: expect.stringContaining('ScanTime'), zh: expect.stringContaining('ScanTime') } } });
  });

  it.each([
    ['HH:MM:SS times, ScanPeriod 1 and ScanScope 3', { ...VALID_CREATE, ScanTime: '23:59:59', ScanPeriod: 1, ScanScope: 3, ClusterIDs: ['cls-xt1t'] }],
    ['ScanPeriod 2147483647', { ...VALID_CREATE, ScanPeriod: 2147483647 }],
    ['the seed example\'s date-time ScanTime', { ...VALID_CREATE, ScanTime: '2020-12-28 15:53:26' }],
    ['ScanEndTime "" (no end time, as Describe answers it)', { ...VALID_CREATE, ScanEndTime: '' }],
    ['the deprecated All', { ...VALID_CREATE, All: true }],
    ['only the required fields', { ...VALID_CREATE, ScanEndTime: undefined }],
    ['every optional field', { ...VALID_CREATE, Images: [], ContainerRunning: false, ScanScope: 0, ExcludeImages: ['a'], ClusterIDs: [] }],
  ])('accepts %s', async (_name, body) => {
    emulator = await startTestEmulator();
    expect(errorCode(await callApi(emulator, { action: CREATE, body }))).toBeUndefined();
  });

  it('accepts {} on Describe', () => {
    expect(validateBody(ACTION_INPUTS.DescribeAssetImageScanSetting, '{}')).toEqual({ ok: true, value: {} });
  });

  it('says a range that the refused value is outside of, in full digits', () => {
    const body = '{"Enable":true,"ScanTime":"01:00","ScanPeriod":1e20,"ScanVirus":true,"ScanRisk":true,"ScanVul":true}';
    const checked = validateBody(CREATE_FIELDS, body);
    expect(checked).toEqual({
      ok: false,
      failure: {
        code: 'InvalidParameterValue.DataRange',
        message: { en: 'The value 100000000000000000000 of `ScanPeriod` is out of range [1, 2147483647].', zh: '参数 `ScanPeriod` 的取值 100000000000000000000 超出范围：应在 1 到 2147483647 之间。' },
      },
    });
  });

  it.each([
    ['01:00', '01:00:00'],
    ['23:59:59', '23:59:59'],
    ['2020-12-28 15:53:26', '15:53:26'],
    ['2020-12-28T15:53Z', '15:53:00'],
    ['', ''],
  ])('keeps %j as the time of day %j', (sent, kept) => {
    expect(toLongTime(sent)).toBe(kept);
  });

  it('keeps a full date-time ScanTime as its time of day, and "" ScanEndTime as no end time', async () => {
    emulator = await startTestEmulator();
    const created = await callApi(emulator, { action: CREATE, body: { ...VALID_CREATE, ScanTime: '2020-12-28 15:53:26', ScanEndTime: '' } });
    expect(errorCode(created)).toBeUndefined();
    const described = await callApi(emulator);
    expect(described.json.Response).toMatchObject({ ScanTime: '15:53:26', ScanEndTime: '' });
    // Describe's answer sent back to Create (tccli's --cli-input-json round trip) is accepted as it is.
    const { RequestId: _r, LastScanTime: _l, ScanResult: _s, ...again } = described.json.Response;
    expect(errorCode(await callApi(emulator, { action: CREATE, body: again }))).toBeUndefined();
  });
});
