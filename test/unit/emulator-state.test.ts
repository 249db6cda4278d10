import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, truncate, writeFile, readdir } from 'node:fs/promises';
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

  it('removes the temp files an emulator killed mid-write left next to the state file, and only those', async () => {
    const statePath = join(dir, 'state.json');
    const leftover = 'state.json.0b7e6f0a-8c1d-4f2e-9a3b-5c6d7e8f9a0b.tmp';
    await writeFile(join(dir, leftover), '{"half":');
    await writeFile(join(dir, 'other.json.0b7e6f0a-8c1d-4f2e-9a3b-5c6d7e8f9a0b.tmp'), 'not ours');
    await writeFile(join(dir, 'state.json.notes.tmp'), 'not ours either');
    emulator = await startTestEmulator({ statePath });
    expect((await readdir(dir)).sort()).toEqual(['other.json.0b7e6f0a-8c1d-4f2e-9a3b-5c6d7e8f9a0b.tmp', 'state.json', 'state.json.notes.tmp']);
  });

  it('refuses a state path that is not a regular file, or one over 16 MiB, without reading it', async () => {
    await expect(startTestEmulator({ statePath: '/dev/zero' })).rejects.toMatchObject({ code: 'Usage.InvalidStateFile', message: expect.stringMatching(/not a regular file/) });
    await mkdir(join(dir, 'folder'));
    await expect(startTestEmulator({ statePath: join(dir, 'folder') })).rejects.toThrow(/directory/);
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    await expect(startTestEmulator({ statePath: fifo })).rejects.toThrow(/not a regular file/);
    const huge = join(dir, 'huge.json');
    await writeFile(huge, '');
    await truncate(huge, 16 * 1024 * 1024 + 1);
    await expect(startTestEmulator({ statePath: huge })).rejects.toThrow(/larger than 16 MiB/);
    // Refused, not rewritten.
    expect((await stat(huge)).size).toBe(16 * 1024 * 1024 + 1);
  });

  it('writes one line per account', async () => {
    const statePath = join(dir, 'state.json');
    emulator = await startTestEmulator({ statePath });
    await callApi(emulator, { action: 'CreateAssetImageScanSetting', body: VALID_CREATE });
    await callApi(emulator, { action: 'CreateAssetImageScanSetting', body: VALID_CREATE, ...ACCOUNT_B });
    const text = await readFile(statePath, 'utf8');
    expect(text.split('\n')).toHaveLength(8);
    expect(Object.keys((JSON.parse(text) as { accounts: object }).accounts)).toEqual([ACCOUNT_A.secretId, ACCOUNT_B.secretId]);
  });
});
