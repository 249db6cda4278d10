import { afterEach, describe, expect, it } from 'vitest';
import { validateBody } from '../../src/emulator/validate.js';
import type { Emulator } from '../../src/emulator/types.js';
import { VALID_CREATE, callApi, errorCode, startTestEmulator } from '../helpers/emulator-client.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const CREATE = 'CreateAssetImageScanSetting';
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
  ['ScanTime with a date (the seed example)', CREATE, { ...VALID_CREATE, ScanTime: '2020-12-28 15:53:26' }, 'InvalidParameter.InvalidFormat'],
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

  it('names the field and the expected type in a type error', () => {
    const checked = validateBody(CREATE, JSON.stringify({ ...VALID_CREATE, ScanPeriod: '1' }));
    expect(checked).toEqual({ ok: false, failure: { code: 'InvalidParameter', message: expect.stringMatching(/ScanPeriod.*Integer/) } });
  });

  it('names the missing parameter', () => {
    const checked = validateBody(CREATE, JSON.stringify(withoutScanTime));
    expect(checked).toEqual({ ok: false, failure: { code: 'MissingParameter', message: expect.stringContaining('ScanTime') } });
  });

  it.each([
    ['HH:MM:SS times, ScanPeriod 0 and ScanScope 3', { ...VALID_CREATE, ScanTime: '23:59:59', ScanPeriod: 0, ScanScope: 3, ClusterIDs: ['cls-xt1t'] }],
    ['the deprecated All', { ...VALID_CREATE, All: true }],
    ['only the required fields', { ...VALID_CREATE, ScanEndTime: undefined }],
    ['every optional field', { ...VALID_CREATE, Images: [], ContainerRunning: false, ScanScope: 0, ExcludeImages: ['a'], ClusterIDs: [] }],
  ])('accepts %s', async (_name, body) => {
    emulator = await startTestEmulator();
    expect(errorCode(await callApi(emulator, { action: CREATE, body }))).toBeUndefined();
  });

  it('accepts {} on Describe', () => {
    expect(validateBody('DescribeAssetImageScanSetting', '{}')).toEqual({ ok: true, value: {} });
  });
});
