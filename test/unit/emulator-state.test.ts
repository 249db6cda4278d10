import { mkdtemp, readFile, rm, stat, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/types.js';
import { ACCOUNT_A, ACCOUNT_B, ACCOUNT_T, VALID_CREATE, callApi, errorCode, startTestEmulator } from '../helpers/emulator-client.js';

let emulator: Emulator | undefined;
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tcss-emulator-state-'));
});
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
  await rm(dir, { recursive: true, force: true });
});

describe('emulator: state file', () => {
  it('keeps settings across a restart, per account', async () => {
    const statePath = join(dir, 'state.json');
    emulator = await startTestEmulator({ statePath });
    await callApi(emulator, { action: 'CreateAssetImageScanSetting', body: { ...VALID_CREATE, ScanPeriod: 7 } });
    await callApi(emulator, { action: 'CreateAssetImageScanSetting', body: { ...VALID_CREATE, ScanPeriod: 3 }, ...ACCOUNT_T });
    await emulator.close();

    emulator = await startTestEmulator({ statePath });
    expect((await callApi(emulator)).json.Response).toMatchObject({ ScanPeriod: 7, ScanTime: '01:00:00', Enable: true });
    expect((await callApi(emulator, { ...ACCOUNT_T })).json.Response).toMatchObject({ ScanPeriod: 3 });
    expect((await callApi(emulator, { secretId: ACCOUNT_B.secretId, secretKey: ACCOUNT_B.secretKey })).json.Response).toMatchObject({
      ScanPeriod: 1,
      Enable: false,
    });
    expect(emulator.settingsOf(ACCOUNT_A.secretId)).toMatchObject({ ScanPeriod: 7 });
  });

  it('writes the file with mode 0600, without secret keys or tokens, and leaves no temp file', async () => {
    const statePath = join(dir, 'state.json');
    emulator = await startTestEmulator({ statePath });
    await callApi(emulator, { action: 'CreateAssetImageScanSetting', body: VALID_CREATE, ...ACCOUNT_T });
    const text = await readFile(statePath, 'utf8');
    for (const secret of [ACCOUNT_A.secretKey, ACCOUNT_B.secretKey, ACCOUNT_T.secretKey, ACCOUNT_T.token]) expect(text).not.toContain(secret);
    expect(JSON.parse(text)).toMatchObject({ format: 'tcss-emulator-state/1', accounts: { [ACCOUNT_T.secretId]: { Enable: true } } });
    expect((await stat(statePath)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['state.json']);
  });

  it('serialises concurrent Creates: the file ends with the last one', async () => {
    const statePath = join(dir, 'state.json');
    emulator = await startTestEmulator({ statePath });
    await Promise.all(
      [1, 2, 3, 4, 5].map((n) => callApi(emulator as Emulator, { action: 'CreateAssetImageScanSetting', body: { ...VALID_CREATE, ScanPeriod: n } })),
    );
    const stored = emulator.settingsOf(ACCOUNT_A.secretId);
    const onDisk = JSON.parse(await readFile(statePath, 'utf8')) as { accounts: Record<string, unknown> };
    expect(onDisk.accounts[ACCOUNT_A.secretId]).toEqual(stored);
  });

  it('starts empty when the file does not exist yet, and refuses a damaged one', async () => {
    const statePath = join(dir, 'state.json');
    emulator = await startTestEmulator({ statePath });
    expect(errorCode(await callApi(emulator))).toBeUndefined();
    await emulator.close();
    emulator = undefined;
    await writeFile(statePath, '{not json');
    await expect(startTestEmulator({ statePath })).rejects.toThrow(/not valid JSON/);
    await writeFile(statePath, '[]');
    await expect(startTestEmulator({ statePath })).rejects.toThrow(/accounts/);
  });
});
