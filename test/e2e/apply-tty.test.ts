/** `tcss image-scan apply` in a real terminal: the confirmation, Ctrl-C at it, and live progress. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { BIN, cleanEnv, makeTempHome, type TempHome } from '../helpers/cli.js';
import { runInPty } from '../helpers/pty.js';

const PROD = { secretId: 'AKIDPTYPROD00000000000000000000', secretKey: 'ptyProdSecretKey000000000000000' };
const QA = { secretId: 'AKIDPTYQA0000000000000000000000', secretKey: 'ptyQaSecretKey00000000000000000' };
let emu: Emulator;
let home: TempHome;

beforeEach(async () => {
  emu = await startEmulator({ port: 0, accounts: [PROD, QA] });
  home = await makeTempHome();
  await home.tccli('prod', { secretId: PROD.secretId, secretKey: PROD.secretKey });
  await home.tccli('qa', { secretId: QA.secretId, secretKey: QA.secretKey });
  await home.file('policy.yaml', 'enable: true\nscanTime: "03:00"\n');
});
afterEach(async () => {
  await emu.close();
  await home.cleanup();
});

const run = (args: string[], steps: Array<{ waitFor: string; send: string }>, env: Record<string, string> = {}) =>
  runInPty(['node', BIN, 'image-scan', 'apply', '-f', 'policy.yaml', ...args], {
    cwd: home.dir,
    env: { ...cleanEnv(home.dir, { TCSS_ENDPOINT: emu.url, ...env }), NO_COLOR: undefined },
    steps,
  });
const creates = () => emu.requests.filter((r) => r.action === 'CreateAssetImageScanSetting').length;

describe('apply in a terminal', () => {
  it('shows the diff in colour and asks; "y" applies', async () => {
    const result = await run(['--profile', 'prod'], [{ waitFor: 'Apply these changes to prod?', send: 'y\r' }]);
    expect(result.pending).toBe(0);
    expect(result.code).toBe(0);
    expect(result.output).toMatch(/\x1b\[33m~\x1b\[39m scanTime/);
    expect(result.output).toMatch(/Applied 2 changes to prod/);
    expect(creates()).toBe(1);
    expect(result.output).not.toContain(PROD.secretKey);
  });

  it('Ctrl-C at the confirmation exits 130 and sends nothing; "n" cancels too', async () => {
    const interrupted = await run(['--profile', 'prod'], [{ waitFor: 'Apply these changes', send: '\x03' }]);
    expect(interrupted.code).toBe(130);
    expect(interrupted.output).toContain('Interrupted at the confirmation; nothing was changed.');
    const declined = await run(['--profile', 'prod'], [{ waitFor: 'Apply these changes', send: 'n\r' }]);
    expect(declined.code).toBe(130);
    expect(declined.output).toContain('Cancelled at the confirmation; nothing was changed.');
    expect(creates()).toBe(0);
  });

  it('Escape at the confirmation exits 130 and sends nothing, as in the wizard', async () => {
    const escaped = await run(['--profile', 'prod'], [{ waitFor: 'Apply these changes', send: '\x1b' }]);
    expect(escaped.code).toBe(130);
    expect(escaped.output).toContain('Interrupted at the confirmation; nothing was changed.');
    expect(creates()).toBe(0);
  });

  it('CI=true does not ask, even in a terminal: it applies as in a CI log', async () => {
    const result = await run(['--profile', 'prod'], [], { CI: 'true' });
    expect(result.code).toBe(0);
    expect(result.output).not.toContain('Apply these changes');
    expect(result.output).toMatch(/Applied 2 changes to prod/);
    expect(creates()).toBe(1);
  });

  it('--yes does not ask; many accounts show live progress and the table', async () => {
    const result = await run(['--profiles', 'prod,qa', '--yes'], []);
    expect(result.code).toBe(0);
    expect(result.output).not.toContain('Apply these changes');
    expect(result.output).toMatch(/\r\x1b\[2K.*2\/2 accounts done/);
    expect(result.output).toMatch(/ACCOUNT\s+OUTCOME\s+REQUESTID \/ ERROR/);
    expect(result.output).not.toMatch(/^\[\d\/2\] /m);
    expect(creates()).toBe(2);
  });

  it('the question says which account already failed', async () => {
    // A third profile whose key the emulator does not know: its read fails before the question.
    await home.tccli('dev', { secretId: 'AKIDPTYDEV000000000000000000000', secretKey: 'ptyDevSecretKey0000000000000000' });
    const result = await run(['--profiles', 'prod,qa,dev'], [{ waitFor: '(y/N)', send: 'n\r' }]);
    expect(result.output.replace(/\x1b\[[0-9;]*[A-Za-z]|\r|\n/g, '')).toContain('Apply these changes to 2 accounts (prod, qa)? (dev already failed and is left out)');
    expect(creates()).toBe(0);
  });

  it('with standard error redirected it does not wait on an unseen question: exit 2, nothing sent', async () => {
    const result = await runInPty(['sh', '-c', `exec node "${BIN}" image-scan apply -f policy.yaml --profile prod 2>err.txt`], {
      cwd: home.dir,
      env: { ...cleanEnv(home.dir, { TCSS_ENDPOINT: emu.url }), NO_COLOR: undefined },
      steps: [],
    });
    expect(result.code).toBe(2);
    expect(await readFile(join(home.dir, 'err.txt'), 'utf8')).toContain('Error [Usage.NotATerminal]: apply asks before writing, on standard error');
    expect(creates()).toBe(0);
  });

  it('the live progress line fits a narrow terminal, so clearing it leaves nothing behind', async () => {
    const result = await runInPty(['sh', '-c', `stty cols 24; exec node "${BIN}" image-scan diff -f policy.yaml --profiles prod,qa`], {
      cwd: home.dir,
      env: { ...cleanEnv(home.dir, { TCSS_ENDPOINT: emu.url }), NO_COLOR: undefined },
      steps: [],
    });
    expect(result.code).toBe(5);
    const segments = result.output.split('\r\x1b[2K').slice(1).map((part) => part.split(/[\r\n]/)[0]!.replace(/\x1b\[[0-9;]*m/g, ''));
    expect(segments.some((text) => text.startsWith('2/2 accounts'))).toBe(true);
    for (const text of segments) expect(text.length).toBeLessThan(24);
  });
});

