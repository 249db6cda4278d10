import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { parsePort, resolveEmulatorAccounts, runEmulatorCommand, type CommandIO } from '../../src/emulator/command.js';
import { callApi, errorCode } from '../helpers/emulator-client.js';

function memoryIO(env: Record<string, string> = {}): CommandIO & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    env,
    out: () => out,
    err: () => err,
  };
}

const running: { controller: AbortController; done: Promise<void> }[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) {
    r.controller.abort();
    await r.done.catch(() => undefined);
  }
});

/** Starts the command and waits for its URL line. */
async function run(options: Parameters<typeof runEmulatorCommand>[0], env: Record<string, string> = {}) {
  const io = memoryIO(env);
  const controller = new AbortController();
  const done = runEmulatorCommand(options, io, controller.signal);
  running.push({ controller, done });
  await expect.poll(() => io.out(), { timeout: 5000 }).toMatch(/\n/);
  const match = /^tcss emulator listening on (http:\/\/127\.0\.0\.1:(\d+))\n/.exec(io.out());
  expect(match).not.toBeNull();
  return { io, controller, done, url: match?.[1] ?? '', port: Number(match?.[2]) };
}

describe('tcss emulator command', () => {
  it('generates a throwaway pair, prints the URL first and a ready-to-paste export line, and works with it', async () => {
    const { io, controller, done, url, port } = await run({}, { TENCENTCLOUD_SECRET_ID: 'AKIDREAL', TENCENTCLOUD_SECRET_KEY: 'realkey' });
    const lines = io.out().split('\n');
    const exportLine = /^export TCSS_ENDPOINT=(\S+) TENCENTCLOUD_SECRET_ID=(AKIDEMU[0-9A-Za-z]{29}) TENCENTCLOUD_SECRET_KEY=([0-9A-Za-z]{32})$/.exec(lines[1] ?? '');
    expect(exportLine?.[1]).toBe(url);
    expect(io.err()).toMatch(/throwaway/);
    const secretId = exportLine?.[2] ?? '';
    const secretKey = exportLine?.[3] ?? '';
    expect(errorCode(await callApi({ url, port }, { secretId, secretKey }))).toBeUndefined();
    // TENCENTCLOUD_* from the environment is never an account.
    expect(errorCode(await callApi({ url, port }, { secretId: 'AKIDREAL', secretKey: 'realkey' }))).toBe('AuthFailure.SecretIdNotFound');
    await expect.poll(() => io.out().split('\n').length).toBeGreaterThanOrEqual(5);
    expect(io.out().split('\n')[2]).toMatch(new RegExp(`DescribeAssetImageScanSetting ${secretId} OK [0-9a-f-]{36}$`));
    controller.abort();
    await expect(done).resolves.toBeUndefined();
    await expect(callApi({ url, port }, { timeoutMs: 1000 })).rejects.toThrow();
  });

  it('uses given keys, prints only the SecretIds, and never the keys', async () => {
    const { io, controller, done, url, port } = await run({ secretId: ['AKIDONE', 'AKIDTWO'], secretKey: ['key-one', 'key-two'] });
    expect(io.out().split('\n')[1]).toBe('tcss emulator accounts: AKIDONE, AKIDTWO');
    expect(errorCode(await callApi({ url, port }, { secretId: 'AKIDTWO', secretKey: 'key-two' }))).toBeUndefined();
    controller.abort();
    await done;
    expect(io.out() + io.err()).not.toMatch(/key-one|key-two/);
  });

  it('reads keys from TCSS_EMULATOR_SECRET_ID / _KEY', () => {
    expect(resolveEmulatorAccounts({}, { TCSS_EMULATOR_SECRET_ID: 'AKIDENV', TCSS_EMULATOR_SECRET_KEY: 'envkey' })).toEqual({
      accounts: [{ secretId: 'AKIDENV', secretKey: 'envkey' }],
      generated: false,
    });
    expect(resolveEmulatorAccounts({ secretId: ['AKIDFLAG'] }, { TCSS_EMULATOR_SECRET_KEY: 'envkey' }).accounts).toEqual([
      { secretId: 'AKIDFLAG', secretKey: 'envkey' },
    ]);
    expect(resolveEmulatorAccounts({}, { TENCENTCLOUD_SECRET_ID: 'AKIDREAL', TENCENTCLOUD_SECRET_KEY: 'k' }).generated).toBe(true);
  });

  it.each([
    [{ port: '70000' }, /--port/],
    [{ port: '-1' }, /--port/],
    [{ port: '80.5' }, /--port/],
    [{ port: 'abc' }, /--port/],
    [{ secretId: ['AKIDONE'] }, /one key per SecretId/],
    [{ secretId: ['AKIDONE', 'AKIDTWO'], secretKey: ['k'] }, /one key per SecretId/],
    [{ secretId: ['AKID ONE'], secretKey: ['k'] }, /not a valid SecretId/],
    [{ secretId: ['AKIDONE'], secretKey: [' '] }, /empty/],
    [{ secretId: ['AKIDONE', 'AKIDONE'], secretKey: ['a', 'b'] }, /twice/],
  ])('refuses %j with a UsageError', async (options, message) => {
    const io = memoryIO();
    const promise = runEmulatorCommand(options, io, new AbortController().signal);
    await expect(promise).rejects.toBeInstanceOf(UsageError);
    await expect(promise).rejects.toThrow(message);
    expect(io.out()).toBe('');
  });

  it('accepts ports 0 and 65535', () => {
    expect(parsePort(undefined)).toBe(0);
    expect(parsePort('0')).toBe(0);
    expect(parsePort('65535')).toBe(65535);
  });

  it('reports a busy port as a UsageError', async () => {
    const first = await run({});
    const io = memoryIO();
    await expect(runEmulatorCommand({ port: String(first.port) }, io, new AbortController().signal)).rejects.toMatchObject({
      code: 'Usage.PortInUse',
    });
  });

  it('reports a damaged state file as a UsageError', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tcss-emulator-cmd-'));
    try {
      const state = join(dir, 'state.json');
      await writeFile(state, 'garbage');
      await expect(
        runEmulatorCommand({ state, secretId: ['AKIDONE'], secretKey: ['key-one'] }, memoryIO(), new AbortController().signal),
      ).rejects.toMatchObject({ code: 'Usage.InvalidStateFile' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses --state without fixed keys: a generated pair could never read its settings again', async () => {
    const io = memoryIO();
    await expect(runEmulatorCommand({ state: '/tmp/never-written.json' }, io, new AbortController().signal)).rejects.toMatchObject({
      code: 'Usage.MissingValue',
      message: expect.stringMatching(/--state needs fixed keys/),
    });
    expect(io.out()).toBe('');
  });

  it('refuses the global options given to it, naming them', async () => {
    const promise = runEmulatorCommand({ globalFlags: ['--dry-run', '--output'] }, memoryIO(), new AbortController().signal);
    await expect(promise).rejects.toMatchObject({ code: 'Usage.InvalidArguments', message: expect.stringMatching(/^--dry-run, --output do not apply to tcss emulator/) });
  });

  it('returns at once when the signal is already aborted', async () => {
    const io = memoryIO();
    await runEmulatorCommand({}, io, AbortSignal.abort());
    expect(io.out()).toBe('');
  });
});
