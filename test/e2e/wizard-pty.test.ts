/**
 * The wizard end to end: the built binary in a real pseudo-terminal, keystrokes typed in, and the
 * request checked where it lands, in the local emulator.
 */
import { execa } from 'execa';
import { rm } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTION_CREATE, ACTION_DESCRIBE } from '../../src/core/api-model.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { BIN, cleanEnv, makeTempHome, runTcss, type TempHome } from '../helpers/cli.js';
import { KEY, spawnInPty, type PtySession } from '../helpers/pty.js';

const SECRET_ID = 'AKIDwizardE2E00000000000000000000001';
const SECRET_KEY = 'wizardE2EsecretKey0123456789abcd';
const CREDS = { TENCENTCLOUD_SECRET_ID: SECRET_ID, TENCENTCLOUD_SECRET_KEY: SECRET_KEY };

let home: TempHome;
let emulator: Emulator;

beforeAll(async () => {
  home = await makeTempHome();
});
afterAll(() => home.cleanup());
beforeEach(async () => {
  // A fresh account each time: the current settings it reports are the emulator's defaults.
  emulator = await startEmulator({ port: 0, accounts: [{ secretId: SECRET_ID, secretKey: SECRET_KEY }] });
});
afterEach(() => emulator.close());

function wizard(args: readonly string[], env: Record<string, string> = CREDS, after?: string): PtySession {
  return spawnInPty(['--endpoint', emulator.url, 'image-scan', 'set', ...args], { home: home.dir, env, ...(after ? { after } : {}) });
}

/** Waits for a prompt, then types. */
async function answer(session: PtySession, prompt: string, keys: string): Promise<void> {
  await session.waitFor(prompt);
  session.type(keys);
}

const actions = (): Array<string | undefined> => emulator.requests.map((r) => r.action);
const createBodies = (): unknown[] => emulator.requests.filter((r) => r.action === ACTION_CREATE).map((r) => JSON.parse(r.body) as unknown);

describe('the wizard in a terminal', () => {
  it('asks every question, prefilled from the current settings, and sends exactly the answers', async () => {
    const s = wizard([]);
    await answer(s, 'Turn scheduled image scans on? (y/N)', `y${KEY.enter}`);
    await answer(s, 'Start time (UTC, HH:MM) (00:00)', `02:15${KEY.enter}`);
    await answer(s, 'End time (UTC, HH:MM; Enter for none)', `05:45${KEY.enter}`);
    await answer(s, 'Scan every how many days? (1)', `7${KEY.enter}`);
    await s.waitFor('Which scanners should run?');
    // The current settings have every scanner off: tick the first and the third.
    s.type(`${KEY.space}${KEY.down}${KEY.down}${KEY.space}${KEY.enter}`);
    await s.waitFor('Which images should be scanned?');
    await s.waitFor('Every image the account has authorized');
    s.type(`${KEY.down}${KEY.down}${KEY.down}`);
    await s.waitFor('Only images in the clusters you list next');
    s.type(KEY.enter);
    await answer(s, 'Cluster IDs', `cls-a, cls-b${KEY.enter}`);
    await answer(s, 'Images to leave out (comma-separated; Enter for none)', `nginx:1.27${KEY.enter}`);
    await answer(s, 'Only scan cluster images that have running containers? (y/N)', `y${KEY.enter}`);
    const summary = await s.waitFor(/Enabled[\s\S]*Cluster IDs\s+cls-a, cls-b/);
    expect(summary).toMatch(/Start time \(UTC\)\s+02:15/);
    expect(summary).toMatch(/Period\s+7/);
    expect(summary).toMatch(/Scan for sensitive information\s+no/);
    await answer(s, 'Send these settings? (Y/n)', KEY.enter);
    const result = await s.exit();

    expect(result.code).toBe(0);
    expect(actions()).toEqual([ACTION_DESCRIBE, ACTION_CREATE]);
    const sent = emulator.requests[1];
    expect(JSON.parse(sent?.body ?? '')).toEqual({
      Enable: true,
      ScanTime: '02:15',
      ScanEndTime: '05:45',
      ScanPeriod: 7,
      ScanVirus: true,
      ScanRisk: false,
      ScanVul: true,
      ContainerRunning: true,
      ScanScope: 3,
      Images: [],
      ExcludeImages: ['nginx:1.27'],
      ClusterIDs: ['cls-a', 'cls-b'],
    });
    expect(sent?.status).toBe(200);
    expect(result.text).toContain(`✔ Image-scan settings applied (RequestId ${sent?.requestId})\r\n`);
    expect(result.text).not.toContain(SECRET_KEY);
    const command = `tcss --endpoint ${emulator.url} image-scan set --replace --enable --scan-time 02:15 --scan-end-time 05:45 --scan-period 7 --no-scan-risk --container-running --scan-scope cluster --exclude-images nginx:1.27 --cluster-ids cls-a,cls-b`;
    expect(result.text).toContain(`The same settings without the wizard (for scripts and CI):\r\n  ${command}\r\n`);

    // Pasted into a (non-interactive) CI step, the printed command sends byte for byte the same body.
    const ci = await execa('sh', ['-c', command.replace(/^tcss /, `node ${BIN} `)], {
      env: cleanEnv(home.dir, { ...CREDS, CI: 'true' }),
      extendEnv: false,
      reject: false,
    });
    expect(ci.exitCode).toBe(0);
    expect(actions()).toEqual([ACTION_DESCRIBE, ACTION_CREATE, ACTION_CREATE]);
    expect(emulator.requests[2]?.body).toBe(sent?.body);
  });

  it('skips the questions whose flags were given; scans off skips the schedule, scanners and scope, keeping them', async () => {
    // The account has an end time, a period, a scanner and a scope that --disable must not reset.
    const first = await runTcss(
      ['--endpoint', emulator.url, 'image-scan', 'set', '--enable', '--scan-time', '01:00', '--scan-end-time', '05:00', '--scan-period', '3', '--scan-vul', '--scan-scope', 'cluster', '--cluster-ids', 'cls-1'],
      { home: home.dir, env: CREDS },
    );
    expect(first.exitCode).toBe(0);
    const s = wizard(['-i', '--disable', '--scan-time', '04:00']);
    await answer(s, 'Send these settings?', KEY.enter);
    const result = await s.exit();
    expect(result.code).toBe(0);
    for (const question of ['Turn scheduled image scans on?', 'Start time (UTC, HH:MM)', 'End time (UTC, HH:MM', 'Scan every', 'Which scanners', 'Which images', 'Cluster IDs (comma', 'leave out', 'running containers?']) {
      expect(result.text).not.toContain(question);
    }
    expect(createBodies()[1]).toEqual({
      Enable: false, ScanTime: '04:00', ScanEndTime: '05:00', ScanPeriod: 3, ScanVirus: false, ScanRisk: false, ScanVul: true, ContainerRunning: false, ScanScope: 3, Images: [], ExcludeImages: [], ClusterIDs: ['cls-1'],
    });
    // The summary marks what changes and what is kept.
    expect(result.text).toMatch(/Enabled\s+disabled\s+changed \(was enabled\)/);
    expect(result.text).toMatch(/End time \(UTC\)\s+05:00\s+kept/);
    expect(result.text).toContain(`tcss --endpoint ${emulator.url} image-scan set --replace --disable --scan-time 04:00 --scan-end-time 05:00 --scan-period 3 --no-scan-virus --no-scan-risk --scan-scope cluster --cluster-ids cls-1`);
  });

  it('without credentials: exit 2 before the first question (a dry run may go on)', async () => {
    const s = wizard([], {});
    const result = await s.exit();
    expect(result.code).toBe(2);
    expect(result.text).toContain('Error [Credentials.Missing]');
    expect(result.text).not.toContain('Turn scheduled image scans on?');
    const dry = wizard(['--dry-run'], {});
    await answer(dry, 'Turn scheduled image scans on?', KEY.ctrlC);
    expect((await dry.exit()).code).toBe(130);
    // To the end: the dry run says the current settings were not read.
    const all = ['--scan-end-time', 'none', '--scan-period', '1', '--scan-virus', '--scan-risk', '--scan-vul', '--scan-scope', 'all', '--exclude-images', 'none', '--container-running'];
    const shown = wizard(['--dry-run', '-i', '--enable', '--scan-time', '01:00', ...all], {});
    await answer(shown, 'Show the request these settings would send', KEY.enter);
    const done = await shown.exit();
    expect(done.code).toBe(0);
    expect(done.text.replace(/\r?\n/g, ' ')).toContain('no credentials were found, so the current settings were not read');
  });

  it('prefills from the config file before the current settings, and pins config values in the printed command', async () => {
    const config = await home.file('.tcssrc.json', JSON.stringify({ imageScan: { scanTime: '06:45', scanPeriod: 1 } }));
    try {
      const s = wizard(['-i', '--enable', '--scan-virus', '--scan-risk', '--scan-vul', '--scan-scope', 'all', '--container-running']);
      // The account's current start time is 00:00; the config file's 06:45 wins.
      await answer(s, 'Start time (UTC, HH:MM) (06:45)', KEY.enter);
      await answer(s, 'End time', KEY.enter);
      await answer(s, 'Scan every how many days? (1)', KEY.enter);
      await answer(s, 'Images to leave out', KEY.enter);
      await answer(s, 'Send these settings?', KEY.enter);
      const result = await s.exit();
      expect(result.code).toBe(0);
      expect(createBodies()).toEqual([
        { Enable: true, ScanTime: '06:45', ScanPeriod: 1, ScanVirus: true, ScanRisk: true, ScanVul: true, ContainerRunning: true, ScanScope: 0, Images: [], ExcludeImages: [], ClusterIDs: [] },
      ]);
      // --scan-period 1 is the default, but the config file sets it: written out, so another config cannot change it.
      expect(result.text).toContain(`image-scan set --replace --enable --scan-time 06:45 --scan-period 1 --container-running\r\n`);
    } finally {
      await rm(config);
    }
  });

  it('shows a prefilled value\'s bidi override and zero-width characters as escapes, and keeps the value', async () => {
    const config = await home.file('.tcssrc.json', JSON.stringify({ imageScan: { excludeImages: ['a\u202ebad', 'zero\u200bwidth'] } }));
    try {
      const s = wizard(['-i', '--enable', '--scan-time', '01:00', '--scan-period', '1', '--scan-virus', '--scan-risk', '--scan-vul', '--scan-scope', 'all', '--container-running']);
      await answer(s, 'End time', KEY.enter);
      await s.waitFor('(a\\u202ebad, zero\\u200bwidth)');
      s.type(KEY.enter);
      await answer(s, 'Send these settings?', KEY.enter);
      const result = await s.exit();
      expect(result.code).toBe(0);
      expect(result.text).not.toMatch(/[\u200b\u202e]/);
      expect((createBodies()[0] as { ExcludeImages: string[] }).ExcludeImages).toEqual(['a\u202ebad', 'zero\u200bwidth']);
    } finally {
      await rm(config);
    }
  });

  it('a config value cleared in the wizard with "none": the printed command says none and sends the same body', async () => {
    const config = await home.file('.tcssrc.json', JSON.stringify({ region: 'ap-guangzhou', imageScan: { scanTime: '06:45', scanEndTime: '08:00' } }));
    try {
      const s = wizard(['-i', '--enable', '--scan-virus', '--scan-risk', '--scan-vul', '--scan-scope', 'all', '--container-running']);
      await answer(s, 'Start time (UTC, HH:MM) (06:45)', KEY.enter);
      // Clear the config file's end time.
      await answer(s, 'End time (UTC, HH:MM; "none" for none)', `${KEY.backspace.repeat(5)}none${KEY.enter}`);
      await answer(s, 'Scan every how many days?', KEY.enter);
      await answer(s, 'Images to leave out', KEY.enter);
      await answer(s, 'Send these settings?', KEY.enter);
      const result = await s.exit();
      expect(result.code).toBe(0);
      const sent = emulator.requests.find((r) => r.action === ACTION_CREATE);
      expect(JSON.parse(sent?.body ?? '')).not.toHaveProperty('ScanEndTime');
      const command = /The same settings without the wizard \(for scripts and CI\):\r\n {2}(.+)\r\n/.exec(result.text)?.[1] ?? '';
      expect(command).toMatch(/^tcss --endpoint \S+ image-scan set --replace --enable --scan-time 06:45 --scan-end-time none /);
      // Run where the config file still says 08:00: the command sends exactly what the wizard sent.
      const ci = await execa('sh', ['-c', command.replace(/^tcss /, `node ${BIN} `)], {
        env: cleanEnv(home.dir, { ...CREDS, CI: 'true' }),
        cwd: home.dir,
        extendEnv: false,
        reject: false,
      });
      expect(ci.exitCode).toBe(0);
      const creates = emulator.requests.filter((r) => r.action === ACTION_CREATE);
      expect(creates).toHaveLength(2);
      expect(creates[1]?.body).toBe(sent?.body);
      expect(creates[1]?.region).toBe('ap-guangzhou');
    } finally {
      await rm(config);
    }
  });

  it('shows the flag\'s own message for an invalid time, and takes the corrected one', async () => {
    const flag = await runTcss(['image-scan', 'set', '--enable', '--scan-time', '25:00'], { home: home.dir });
    const message = /^Error \[Usage\.InvalidValue\]: (.*)$/m.exec(flag.stderr)?.[1];
    expect(message).toBe('--scan-time "25:00" is not a valid time: use HH:MM from 00:00 to 23:59 (UTC)');

    const s = wizard(['-i', '--enable', '--scan-period', '2', '--scan-scope', 'recommended', '--no-container-running', '--exclude-images', 'x']);
    await answer(s, 'Start time', `25:00${KEY.enter}`);
    await s.waitFor(message as string);
    s.type(`${KEY.backspace.repeat(5)}01:00${KEY.enter}`);
    await answer(s, 'End time', `7${KEY.enter}`);
    await s.waitFor('--scan-end-time "7" is not a valid time');
    s.type(`${KEY.backspace}${KEY.enter}`);
    // The account has every scanner off: Enter keeps them so, and the wizard warns before the last question.
    await answer(s, 'Which scanners should run?', KEY.enter);
    await s.waitFor('warning: scans are on with every scanner off');
    await answer(s, 'Send these settings?', KEY.enter);
    expect((await s.exit()).code).toBe(0);
    expect(createBodies()).toEqual([
      { Enable: true, ScanTime: '01:00', ScanPeriod: 2, ScanVirus: false, ScanRisk: false, ScanVul: false, ContainerRunning: false, ScanScope: 2, Images: [], ExcludeImages: ['x'], ClusterIDs: [] },
    ]);
  });

  it('Ctrl-C: exit 130, nothing sent, terminal back in cooked mode with the cursor shown', async () => {
    const s = wizard([], CREDS, 'stty -a');
    await answer(s, 'Turn scheduled image scans on?', `y${KEY.enter}`);
    await answer(s, 'Start time', `01${KEY.ctrlC}`);
    const result = await s.exit();
    expect(result.code).toBe(130);
    expect(result.text).toContain('Error [Interrupted]: Interrupted; nothing was sent.');
    expect(actions()).toEqual([ACTION_DESCRIBE]);
    const stty = result.text.slice(result.text.lastIndexOf('Interrupted; nothing was sent.'));
    expect(stty).toMatch(/(^|\s)icanon(\s|$)/m);
    expect(stty).toMatch(/(^|\s)echo(\s|$)/m);
    const afterLastPrompt = result.raw.slice(result.raw.lastIndexOf('Start time'));
    expect(afterLastPrompt).toContain('\u001b[?25h');
  });

  it('Escape in a list: exit 130 and nothing sent (arrow keys do not count as Escape)', async () => {
    const s = wizard([], CREDS, 'stty -a');
    await answer(s, 'Turn scheduled image scans on?', `y${KEY.enter}`);
    await answer(s, 'Start time', `01:00${KEY.enter}`);
    await answer(s, 'End time', KEY.enter);
    await answer(s, 'Scan every how many days?', KEY.enter);
    await answer(s, 'Which scanners should run?', `${KEY.down}${KEY.up}${KEY.space}${KEY.enter}`);
    await s.waitFor('Which images should be scanned?');
    s.type(KEY.down);
    await s.waitFor('Only the images you list next');
    s.type(KEY.escape);
    const result = await s.exit();
    expect(result.code).toBe(130);
    expect(result.text).toContain('Interrupted; nothing was sent.');
    expect(actions()).toEqual([ACTION_DESCRIBE]);
    expect(result.text.slice(result.text.lastIndexOf('nothing was sent.'))).toMatch(/(^|\s)icanon(\s|$)/m);
  });

  it('Escape in a text question: exit 130 and nothing sent', async () => {
    const s = wizard([]);
    await answer(s, 'Turn scheduled image scans on?', `y${KEY.enter}`);
    await answer(s, 'Start time', `01:0${KEY.escape}`);
    const result = await s.exit();
    expect(result.code).toBe(130);
    expect(actions()).toEqual([ACTION_DESCRIBE]);
  });

  it('Ctrl-D (end of input) at a question: exit 130 and nothing sent, as one error line', async () => {
    const s = wizard([]);
    await answer(s, 'Turn scheduled image scans on?', `y${KEY.enter}`);
    await s.waitFor('Start time');
    s.type(KEY.ctrlD);
    const result = await s.exit();
    expect(result.code).toBe(130);
    expect(result.text).toContain('Interrupted; nothing was sent.');
    expect(result.text).not.toContain('Internal');
    expect(actions()).toEqual([ACTION_DESCRIBE]);
  });

  it('answering no to the final question sends nothing and exits 0', async () => {
    const s = wizard(['-i', '--enable', '--scan-time', '01:00', '--scan-end-time', '02:00', '--scan-period', '1', '--scan-virus', '--scan-risk', '--scan-vul', '--scan-scope', 'all', '--exclude-images', 'x', '--container-running']);
    await answer(s, 'Send these settings? (Y/n)', `n${KEY.enter}`);
    const result = await s.exit();
    expect(result.code).toBe(0);
    expect(result.text).toContain('Nothing was sent.');
    expect(result.text).not.toContain('Start time (UTC, HH:MM)');
    expect(actions()).toEqual([ACTION_DESCRIBE]);
  });

  it('a failed read of the current settings is one line, and the wizard goes on with the defaults', async () => {
    emulator.injectFault({ kind: 'api-error', action: ACTION_DESCRIBE, code: 'InternalError', message: 'oops' });
    const s = wizard([]);
    await s.waitFor('Could not read the current settings (InternalError); using defaults.\r\n');
    // Built-in defaults now: scans on, period 1.
    await answer(s, 'Turn scheduled image scans on? (Y/n)', KEY.ctrlC);
    const result = await s.exit();
    expect(result.code).toBe(130);
    expect(result.text.match(/Could not read/g)).toHaveLength(1);
    expect(result.text).not.toContain('oops');
  });

  it('a key the API refuses: said at the start that sending will fail; the send fails with exit 3', async () => {
    const s = wizard(['-i', '--enable', '--scan-time', '01:00', '--scan-end-time', 'none', '--scan-period', '1', '--scan-virus', '--scan-risk', '--scan-vul', '--scan-scope', 'all', '--exclude-images', 'none', '--container-running'], {
      TENCENTCLOUD_SECRET_ID: SECRET_ID,
      TENCENTCLOUD_SECRET_KEY: 'wrongKeyForTheWizard0123456789ab',
    });
    await s.waitFor('Could not read the current settings (AuthFailure.SignatureFailure): the API refused these credentials, so sending will fail too');
    await answer(s, 'Send these settings?', KEY.enter);
    const result = await s.exit();
    expect(result.code).toBe(3);
    expect(result.text).toContain('Error [AuthFailure.SignatureFailure]');
  });

  it('--dry-run reads the current settings, writes nothing, and prints the request', async () => {
    const s = wizard(['--dry-run', '-i', '--enable', '--scan-time', '01:00', '--scan-end-time', '02:00', '--scan-period', '1', '--scan-scope', 'selected', '--images', 'a', '--no-scan-vul']);
    await answer(s, 'Which scanners should run?', KEY.enter);
    await answer(s, 'Show the request these settings would send (dry run, nothing is sent)?', KEY.enter);
    const result = await s.exit();
    expect(result.code).toBe(0);
    // The scanner ticks start from the account's (all off); every field is stated.
    expect(result.text).toContain(
      '{"Enable":true,"ScanTime":"01:00","ScanEndTime":"02:00","ScanPeriod":1,"ScanVirus":false,"ScanRisk":false,"ScanVul":false,"ContainerRunning":false,"ScanScope":1,"Images":["a"],"ExcludeImages":[],"ClusterIDs":[]}',
    );
    expect(result.text).toContain('dry run: the current settings were read');
    expect(actions()).toEqual([ACTION_DESCRIBE]);
  });

  it('CI=true: the wizard never starts, even in a terminal; the error names the flags', async () => {
    const s = wizard([], { ...CREDS, CI: 'true' });
    const result = await s.exit();
    expect(result.code).toBe(2);
    expect(result.text).not.toContain('?');
    expect(result.text).toContain('hint: pass --enable or --disable and --scan-time HH:MM (the guided wizard does not run when CI is set)');
    const interactive = await wizard(['-i'], { ...CREDS, CI: 'true' }).exit();
    expect(interactive.code).toBe(2);
    expect(interactive.text).toContain('Error [Usage.NotATerminal]');
    expect(emulator.requests).toEqual([]);
  });

  it('--output json: the wizard never starts on its own; with -i it is a usage error', async () => {
    const plain = await wizard(['--output', 'json']).exit();
    expect(plain.code).toBe(2);
    expect(plain.text).not.toContain('Turn scheduled image scans on?');
    const error = JSON.parse(plain.text.trim()) as { error: { code: string; hint: string } };
    expect(error.error).toMatchObject({ code: 'Usage.MissingValue', hint: 'pass --enable or --disable and --scan-time HH:MM (the wizard does not run with JSON output)' });

    // With the settings as flags: exactly one JSON document, no prompt.
    const sent = await wizard(['--output', 'json', '--enable', '--scan-time', '01:00', '--scan-vul']).exit();
    expect(sent.code).toBe(0);
    expect(JSON.parse(sent.text.trim())).toMatchObject({ RequestId: expect.any(String) });

    const interactive = await wizard(['-i', '--output', 'json']).exit();
    expect(interactive.code).toBe(2);
    expect(JSON.parse(interactive.text.trim())).toMatchObject({
      error: { code: 'Usage.Conflict', message: '--interactive cannot be used with --output json: the wizard is for a person, JSON output for scripts' },
    });
    const fromEnv = await wizard(['-i'], { ...CREDS, TCSS_OUTPUT: 'json' }).exit();
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.text).toContain('--interactive cannot be used with TCSS_OUTPUT=json');
    expect(actions()).toEqual([ACTION_DESCRIBE, ACTION_CREATE]);
  });
});

describe('the flags path in a terminal', () => {
  it('the summary marks what changed and what was kept', async () => {
    const result = await wizard(['--enable', '--scan-time', '01:00', '--scan-period', '3', '--scan-vul']).exit();
    expect(result.code).toBe(0);
    expect(result.text).toContain('✔ Image-scan settings applied');
    expect(result.text).toMatch(/Enabled\s+enabled\s+changed \(was disabled\)/);
    expect(result.text).toMatch(/Period\s+3\s+changed \(was 1\)/);
    expect(result.text).toMatch(/Scan for trojans\s+no\s+kept/);
    expect(result.text).toMatch(/End time \(UTC\)\s+\(none\)\s+kept/);
    expect(actions()).toEqual([ACTION_DESCRIBE, ACTION_CREATE]);
  });

  it('a missing setting in a terminal: the hint suggests -i', async () => {
    const result = await wizard(['--replace', '--enable']).exit();
    expect(result.code).toBe(2);
    expect(result.text).toContain('hint: pass --scan-time HH:MM, or run "tcss image-scan set -i" for the guided wizard');
    expect(emulator.requests).toEqual([]);
  });
});

describe('without a terminal', () => {
  const run = (args: string[]) => runTcss(['--endpoint', emulator.url, 'image-scan', 'set', ...args], { home: home.dir, env: CREDS });

  it('no setting flags: exit 2, naming the flags to pass; nothing sent', async () => {
    const result = await run([]);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'Error [Usage.MissingValue]: one of --enable or --disable is required (or "enable" in the config file)\n' +
        'hint: pass --enable or --disable and --scan-time HH:MM, or run "tcss image-scan set" in a terminal for the guided wizard\n',
    );
    expect(emulator.requests).toEqual([]);
  });

  it('one required setting missing (--replace: no current value to keep): names just that flag', async () => {
    const result = await run(['--replace', '--enable']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      'Error [Usage.MissingValue]: --scan-time HH:MM is required (or "scanTime" in the config file)\n' +
        'hint: pass --scan-time HH:MM, or run "tcss image-scan set" in a terminal for the guided wizard\n',
    );
  });

  it('--interactive: exit 2 with a clear message; nothing sent', async () => {
    const result = await run(['--interactive', '--enable']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      'Error [Usage.NotATerminal]: --interactive needs a terminal: stdin and stdout must be a TTY, and CI must not be true\n' +
        'hint: pass the settings as flags instead, e.g. tcss image-scan set --enable --scan-time 01:00\n',
    );
    expect(emulator.requests).toEqual([]);
  });
});
