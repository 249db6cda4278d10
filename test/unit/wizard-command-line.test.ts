/** The equivalent command line the wizard prints, and when the wizard may start at all. */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { canPrompt } from '../../src/cli/commands/image-scan-set.js';
import { isCi } from '../../src/cli/confirm.js';
import type { ImageScanSettings } from '../../src/core/settings/fields.js';
import { equivalentCommand, settingsArgs, shellQuote } from '../../src/wizard/command-line.js';

const base: ImageScanSettings = { enable: true, scanTime: '01:00', scanPeriod: 1, scanVirus: true, scanRisk: true, scanVul: true };

describe('shellQuote', () => {
  it.each([
    ['--scan-time', '--scan-time'],
    ['sha256:525b6e9f,nginx:1.27', 'sha256:525b6e9f,nginx:1.27'],
    ['http://127.0.0.1:9000', 'http://127.0.0.1:9000'],
    ['my image', "'my image'"],
    ["it's", "'it'\\''s'"],
    ['$HOME', "'$HOME'"],
    ['', "''"],
  ])('%j → %s', (arg, quoted) => {
    expect(shellQuote(arg)).toBe(quoted);
  });

  it('a POSIX shell reads every quoted word back unchanged', () => {
    const words = ['a b', "it's", '$HOME', '`x`', '"q"', 'back\\slash', 'semi;colon', 'star*', 'new\nline', ''];
    const out = execFileSync('sh', ['-c', `printf '%s\\0' ${words.map(shellQuote).join(' ')}`], { encoding: 'utf8' });
    expect(out.split('\0').slice(0, -1)).toEqual(words);
  });
});

describe('equivalentCommand', () => {
  it('writes only the required flags when everything else is at its default', () => {
    // --replace: the command states everything itself and needs no read permission.
    expect(equivalentCommand(base)).toBe('tcss image-scan set --replace --enable --scan-time 01:00');
    expect(equivalentCommand({ ...base, containerRunning: false, scanScope: 0, images: [], excludeImages: [], clusterIds: [] })).toBe(
      'tcss image-scan set --replace --enable --scan-time 01:00',
    );
  });

  it('writes --disable, the end time, a non-default period, switched-off scanners, scope and lists', () => {
    const settings: ImageScanSettings = {
      ...base,
      enable: false,
      scanEndTime: '05:00',
      scanPeriod: 7,
      scanRisk: false,
      containerRunning: false,
      scanScope: 3,
      clusterIds: ['cls-a', 'cls-b'],
      excludeImages: ['nginx:1.27'],
    };
    expect(equivalentCommand(settings)).toBe(
      'tcss image-scan set --replace --disable --scan-time 01:00 --scan-end-time 05:00 --scan-period 7 --no-scan-risk --scan-scope cluster --exclude-images nginx:1.27 --cluster-ids cls-a,cls-b',
    );
  });

  it('pins values the config file sets, so another machine\'s config cannot change the body', () => {
    expect(settingsArgs({ ...base, containerRunning: true }, new Set(['scanPeriod', 'scanVirus']))).toEqual([
      '--enable',
      '--scan-time',
      '01:00',
      '--scan-period',
      '1',
      '--scan-virus',
      '--container-running',
    ]);
  });

  it('a pinned value that is cleared is written as "none"', () => {
    expect(settingsArgs({ ...base, images: [] }, new Set(['scanEndTime', 'images']))).toEqual(['--enable', '--scan-time', '01:00', '--scan-end-time', 'none', '--images', 'none']);
  });

  it('repeats the global flags given and quotes what needs it', () => {
    const command = equivalentCommand(
      { ...base, scanScope: 1, images: ["repo/it's:1"] },
      { globals: [['--profile', 'prod'], ['--endpoint', 'http://127.0.0.1:9000']] },
    );
    expect(command).toBe("tcss --profile prod --endpoint http://127.0.0.1:9000 image-scan set --replace --enable --scan-time 01:00 --scan-scope selected --images 'repo/it'\\''s:1'");
  });
});

describe('when the wizard may start', () => {
  const ctx = (stdin: boolean, stdout: boolean, env: Record<string, string> = {}) => ({
    env,
    terminal: { stdinIsTTY: stdin, out: { isTTY: stdout } } as never,
  });

  it('CI is on for any value but empty, false and 0', () => {
    expect(isCi({})).toBe(false);
    for (const v of ['', 'false', '0', 'FALSE']) expect(isCi({ CI: v })).toBe(false);
    for (const v of ['true', '1', 'yes', 'TRUE']) expect(isCi({ CI: v })).toBe(true);
  });

  it('needs stdin and stdout to be terminals, outside CI', () => {
    expect(canPrompt(ctx(true, true))).toBe(true);
    expect(canPrompt(ctx(false, true))).toBe(false);
    expect(canPrompt(ctx(true, false))).toBe(false);
    expect(canPrompt(ctx(true, true, { CI: 'true' }))).toBe(false);
  });
});
