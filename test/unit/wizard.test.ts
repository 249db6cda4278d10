/**
 * The wizard through its prompter seam: every question, every skip rule, every validation message
 * (the flags' own), the prefill order, and the final confirmation.
 */
import { describe, expect, it } from 'vitest';
import { InterruptedError, UsageError } from '../../src/core/errors.js';
import { settingsRows, table } from '../../src/cli/format.js';
import { flagsLayer, type SettingFlags as ImageScanSetFlags } from '../../src/core/settings/layers.js';
import { resolveSettings, toRequestBody, type ImageScanSettings } from '../../src/core/settings/fields.js';
import { runWizard, type WizardOptions } from '../../src/wizard/wizard.js';
import { INTERRUPT, ScriptedPrompter } from '../helpers/scripted-prompter.js';

const summarize = (settings: ImageScanSettings): string => table(settingsRows(settings, true));

async function run(script: ConstructorParameters<typeof ScriptedPrompter>[0], options: Partial<WizardOptions> = {}) {
  const prompter = new ScriptedPrompter(script);
  const printed: string[] = [];
  const result = await runWizard(prompter, { given: {}, prefill: [], summarize, ...options }, (t) => printed.push(t));
  return { prompter, result, printed: printed.join(''), settings: result.resolved.settings };
}

/** The message the flags path gives for the same raw value. */
function flagMessage(flags: ImageScanSetFlags): string {
  try {
    resolveSettings([flagsLayer({ enable: true, scanTime: '01:00', ...flags })]);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error('the flags were accepted');
}

describe('questions and their order', () => {
  it('asks every question for scope "all" and builds the body from the answers', async () => {
    const { prompter, result, settings } = await run({
      enable: true,
      scanTime: '01:30',
      scanEndTime: '05:00',
      scanPeriod: '7',
      scanners: ['scanVirus', 'scanVul'],
      scanScope: 0,
      excludeImages: 'sha256:aa, sha256:bb',
      containerRunning: true,
      confirm: true,
    });
    expect(prompter.names).toEqual(['enable', 'scanTime', 'scanEndTime', 'scanPeriod', 'scanners', 'scanScope', 'excludeImages', 'containerRunning', 'confirm']);
    expect(result.confirmed).toBe(true);
    expect(toRequestBody(settings)).toEqual({
      Enable: true,
      ScanTime: '01:30',
      ScanEndTime: '05:00',
      ScanPeriod: 7,
      ScanVirus: true,
      ScanRisk: false,
      ScanVul: true,
      ContainerRunning: true,
      ScanScope: 0,
      Images: [],
      ExcludeImages: ['sha256:aa', 'sha256:bb'],
      ClusterIDs: [],
    });
    // Every field is asked for scope "all" but the two lists it does not use, which get their defaults.
    expect(Object.entries(result.resolved.sources).filter(([, s]) => s !== 'wizard').map(([k]) => k)).toEqual(['images', 'clusterIds']);
  });

  it('offers the documented defaults when nothing is prefilled (Enter everywhere)', async () => {
    const { prompter, settings } = await run({ scanTime: '02:00' });
    const byName = Object.fromEntries(prompter.asked.map((a) => [a.name, a]));
    expect(byName.enable?.default).toBe(true);
    expect(byName.scanTime?.default).toBeUndefined();
    expect(byName.scanEndTime?.message).toContain('Enter for none');
    expect(byName.scanPeriod?.default).toBe('1');
    expect(byName.scanners?.choices).toEqual(['scanVirus', 'scanRisk', 'scanVul']);
    expect(byName.scanners?.checked).toEqual(['scanVirus', 'scanRisk', 'scanVul']);
    expect(byName.scanScope?.choices).toEqual([0, 1, 2, 3]);
    expect(byName.scanScope?.default).toBe(0);
    expect(byName.containerRunning?.default).toBe(false);
    expect(byName.confirm?.default).toBe(true);
    expect(toRequestBody(settings)).toEqual({
      Enable: true,
      ScanTime: '02:00',
      ScanPeriod: 1,
      ScanVirus: true,
      ScanRisk: true,
      ScanVul: true,
      ContainerRunning: false,
      ScanScope: 0,
      Images: [],
      ExcludeImages: [],
      ClusterIDs: [],
    });
  });

  it('scope "selected" asks for images only (required), not clusters, exclusions or running containers', async () => {
    const { prompter, settings } = await run({ scanTime: '01:00', scanScope: 1, images: 'sha256:525b6e9f,nginx:1.27' });
    expect(prompter.names).toEqual(['enable', 'scanTime', 'scanEndTime', 'scanPeriod', 'scanners', 'scanScope', 'images', 'confirm']);
    expect(settings.images).toEqual(['sha256:525b6e9f', 'nginx:1.27']);
    // Not asked: kept from the layers below, here none, so the default.
    expect(settings.containerRunning).toBe(false);
  });

  it('scope "cluster" asks for cluster IDs, exclusions and running containers', async () => {
    const { prompter, settings } = await run({ scanTime: '01:00', scanScope: 3, clusterIds: 'cls-a, cls-b', excludeImages: '', containerRunning: false });
    expect(prompter.names).toEqual(['enable', 'scanTime', 'scanEndTime', 'scanPeriod', 'scanners', 'scanScope', 'clusterIds', 'excludeImages', 'containerRunning', 'confirm']);
    expect(settings.clusterIds).toEqual(['cls-a', 'cls-b']);
    expect(settings.excludeImages).toEqual([]);
  });

  it('scope "recommended" asks for exclusions and running containers, no lists to scan', async () => {
    const { prompter } = await run({ scanTime: '01:00', scanScope: 2 });
    expect(prompter.names).toEqual(['enable', 'scanTime', 'scanEndTime', 'scanPeriod', 'scanners', 'scanScope', 'excludeImages', 'containerRunning', 'confirm']);
  });

  it('the scope question explains every choice', async () => {
    const { prompter } = await run({ scanTime: '01:00' });
    const labels = prompter.asked.find((a) => a.name === 'scanScope')?.labels ?? [];
    expect(labels.map((c) => c.name)).toEqual(['all', 'selected', 'recommended', 'cluster']);
    for (const c of labels) expect(c.description?.length).toBeGreaterThan(10);
  });

  it('disable is an answer like any other', async () => {
    const { settings } = await run({ enable: false, scanTime: '00:00' });
    expect(settings.enable).toBe(false);
  });
});

describe('flags given on the command line skip their questions', () => {
  const full: Partial<ImageScanSettings> = {
    enable: true,
    scanTime: '03:00',
    scanEndTime: '04:00',
    scanPeriod: 2,
    scanVirus: false,
    scanRisk: true,
    scanVul: true,
    scanScope: 0,
    excludeImages: ['x'],
    containerRunning: true,
  };
  const cases: Array<[keyof ImageScanSettings, string]> = [
    ['enable', 'enable'],
    ['scanTime', 'scanTime'],
    ['scanEndTime', 'scanEndTime'],
    ['scanPeriod', 'scanPeriod'],
    ['scanScope', 'scanScope'],
    ['excludeImages', 'excludeImages'],
    ['containerRunning', 'containerRunning'],
  ];
  it.each(cases)('%s given → question "%s" not asked, value kept with source flag', async (key, question) => {
    const given = { [key]: full[key] } as Partial<ImageScanSettings>;
    const { prompter, settings, result } = await run({ scanTime: '05:00' }, { given });
    expect(prompter.names).not.toContain(question);
    expect(prompter.names).toContain('confirm');
    expect(settings[key]).toEqual(full[key]);
    expect(result.resolved.sources[key]).toBe('flag');
  });

  it('scanners given by flag leave only the others in the checkbox; all three skip it', async () => {
    const some = await run({ scanTime: '01:00', scanners: [] }, { given: { scanRisk: false } });
    expect(some.prompter.asked.find((a) => a.name === 'scanners')?.choices).toEqual(['scanVirus', 'scanVul']);
    expect(some.settings).toMatchObject({ scanVirus: false, scanRisk: false, scanVul: false });
    const all = await run({ scanTime: '01:00' }, { given: { scanVirus: true, scanRisk: false, scanVul: true } });
    expect(all.prompter.names).not.toContain('scanners');
  });

  it('--scan-scope selected --images … skips both; --scan-scope cluster alone still asks for cluster IDs', async () => {
    const sel = await run({ scanTime: '01:00' }, { given: { scanScope: 1, images: ['a'] } });
    expect(sel.prompter.names).not.toContain('images');
    expect(sel.prompter.names).not.toContain('scanScope');
    const cl = await run({ scanTime: '01:00', clusterIds: 'cls-1' }, { given: { scanScope: 3 } });
    expect(cl.prompter.names).toContain('clusterIds');
    expect(cl.settings.clusterIds).toEqual(['cls-1']);
  });

  it('every setting given: only the final confirmation is asked', async () => {
    const { prompter } = await run({}, { given: full });
    expect(prompter.names).toEqual(['confirm']);
  });

  it('a flag for a field the scope does not use is still kept (the user typed it)', async () => {
    const { settings } = await run({ scanTime: '01:00', scanScope: 0 }, { given: { images: ['kept'] } });
    expect(settings.images).toEqual(['kept']);
  });
});

describe('answers are validated in place with the flags\' messages', () => {
  it('start time: a bad time shows the --scan-time message, then the next answer is taken', async () => {
    const { prompter, settings } = await run({ scanTime: ['25:00', '1:00', '01:00:30', '', '01:00'] });
    expect(prompter.rejected.scanTime).toEqual([
      flagMessage({ scanTime: '25:00' }),
      flagMessage({ scanTime: '1:00' }),
      flagMessage({ scanTime: '01:00:30' }),
      flagMessage({ scanTime: '' }),
    ]);
    expect(prompter.rejected.scanTime?.[0]).toBe('--scan-time "25:00" is not a valid time: use HH:MM from 00:00 to 23:59 (UTC)');
    expect(settings.scanTime).toBe('01:00');
  });

  it('end time: the --scan-end-time message; "-" or Enter for none', async () => {
    const { prompter, settings } = await run({ scanTime: '01:00', scanEndTime: ['24:00', 'none'] });
    expect(prompter.rejected.scanEndTime).toEqual([flagMessage({ scanEndTime: '24:00' })]);
    expect(settings.scanEndTime).toBeUndefined();
  });

  it('period: the --scan-period message for words, fractions, zero and negatives', async () => {
    const { prompter, settings } = await run({ scanTime: '01:00', scanPeriod: ['abc', '1.5', '0', '-2', ' 3 '] });
    expect(prompter.rejected.scanPeriod).toEqual(['abc', '1.5', '0', '-2'].map((p) => flagMessage({ scanPeriod: p })));
    expect(prompter.rejected.scanPeriod?.[0]).toBe('--scan-period "abc" is not a valid period: use a whole number of days from 1 to 2147483647 (1, 2, 7, …)');
    expect(settings.scanPeriod).toBe(3);
  });

  it('images for scope selected: an empty list gets the cross-field message, an empty item the --images one', async () => {
    const { prompter, settings } = await run({ scanTime: '01:00', scanScope: 1, images: ['', 'a,,b', 'a,b,a'] });
    expect(prompter.rejected.images).toEqual([flagMessage({ scanScope: 'selected' }), flagMessage({ images: ['a,,b'] })]);
    expect(prompter.rejected.images?.[0]).toBe('--scan-scope selected needs --images with at least one image');
    expect(settings.images).toEqual(['a', 'b']);
  });

  it('cluster IDs for scope cluster: required, with the flags\' message', async () => {
    const { prompter } = await run({ scanTime: '01:00', scanScope: 3, clusterIds: ['none', 'cls-1'] });
    expect(prompter.rejected.clusterIds).toEqual([flagMessage({ scanScope: 'cluster' })]);
  });

  it('excluded images: a control character gets the --exclude-images message', async () => {
    const { prompter } = await run({ scanTime: '01:00', excludeImages: ['a\u0007b', 'ab'] });
    expect(prompter.rejected.excludeImages).toEqual([flagMessage({ excludeImages: ['a\u0007b'] })]);
  });
});

describe('prefill: config file first, then the current settings, then the defaults', () => {
  const config = { source: 'config' as const, values: { scanTime: '06:00', scanVirus: false } };
  const current = {
    source: 'current' as const,
    values: { enable: false, scanTime: '07:00', scanEndTime: '09:00', scanPeriod: 3, scanVirus: true, scanRisk: false, scanScope: 3 as const, clusterIds: ['cls-c'], excludeImages: [], containerRunning: true },
  };

  it('offers the first layer that has a value as each default', async () => {
    // Scans on (the current settings have them off): every question is asked.
    const { prompter, settings } = await run({ enable: true }, { prefill: [config, current] });
    const byName = Object.fromEntries(prompter.asked.map((a) => [a.name, a]));
    expect(byName.enable?.default).toBe(false);
    expect(byName.scanTime?.default).toBe('06:00');
    expect(byName.scanEndTime?.default).toBe('09:00');
    expect(byName.scanEndTime?.message).toContain('"none" for none');
    expect(byName.scanPeriod?.default).toBe('3');
    expect(byName.scanners?.checked).toEqual(['scanVul']);
    expect(byName.scanScope?.default).toBe(3);
    expect(byName.clusterIds?.default).toBe('cls-c');
    // An empty list from the read API is no default.
    expect(byName.excludeImages?.default).toBeUndefined();
    expect(byName.containerRunning?.default).toBe(true);
    expect(toRequestBody(settings)).toEqual({
      Enable: true,
      ScanTime: '06:00',
      ScanEndTime: '09:00',
      ScanPeriod: 3,
      ScanVirus: false,
      ScanRisk: false,
      ScanVul: true,
      ContainerRunning: true,
      ScanScope: 3,
      Images: [],
      ExcludeImages: [],
      ClusterIDs: ['cls-c'],
    });
  });

  it('prefilled values the chosen scope does not use are not asked, and kept as they are', async () => {
    const { prompter, settings } = await run({ enable: true, scanScope: 0 }, { prefill: [current] });
    expect(prompter.names).not.toContain('clusterIds');
    expect(settings.clusterIds).toEqual(['cls-c']);
    expect(settings.scanScope).toBe(0);
  });

  it('"none" clears a prefilled end time, and the value below is not taken instead', async () => {
    const { settings } = await run({ enable: true, scanEndTime: 'none' }, { prefill: [current] });
    expect(settings.scanEndTime).toBeUndefined();
    expect(toRequestBody(settings)).not.toHaveProperty('ScanEndTime');
  });

  it('"Turn scans on? No" asks nothing of the schedule, scanners or scope, and keeps the current values', async () => {
    const { prompter, settings } = await run({ enable: false }, { prefill: [current] });
    expect(prompter.names).toEqual(['enable', 'confirm']);
    expect(settings).toMatchObject({ enable: false, scanTime: '07:00', scanEndTime: '09:00', scanPeriod: 3, scanVirus: true, scanRisk: false, scanScope: 3, clusterIds: ['cls-c'] });
  });

  it('"No" with no start time anywhere still asks for one (every write states it)', async () => {
    const { prompter } = await run({ enable: false, scanTime: '03:00' });
    expect(prompter.names).toEqual(['enable', 'scanTime', 'confirm']);
  });

  it('scans on with no scanner ticked: a warning before the last question', async () => {
    const warnings: string[] = [];
    await run({ enable: true, scanTime: '01:00', scanners: [] }, { warn: (line) => warnings.push(line) });
    expect(warnings).toEqual(['scans are on with every scanner off (--scan-virus, --scan-risk and --scan-vul): nothing would be scanned']);
  });
});

describe('summary and confirmation', () => {
  it('prints every field before asking, and reports a "no"', async () => {
    const { printed, result, prompter } = await run({ scanTime: '01:00', confirm: false });
    expect(printed).toMatch(/Enabled\s+enabled\n/);
    expect(printed).toMatch(/Start time \(UTC\)\s+01:00\n/);
    // One spelling for "nothing" in every table, as image-scan get shows it.
    expect(printed).toMatch(/End time \(UTC\)\s+\(none\)\n/);
    expect(printed).toMatch(/Cluster IDs\s+\(none\)\n/);
    expect(prompter.asked.at(-1)?.message).toBe('Send these settings?');
    expect(result.confirmed).toBe(false);
  });

  it('says nothing will be sent in a dry run', async () => {
    const { prompter } = await run({ scanTime: '01:00' }, { dryRun: true });
    expect(prompter.asked.at(-1)?.message).toMatch(/dry run, nothing is sent/);
  });

  it('an interrupt at any question propagates and nothing is printed', async () => {
    for (const name of ['enable', 'scanTime', 'scanEndTime', 'scanPeriod', 'scanners', 'scanScope', 'excludeImages', 'containerRunning', 'confirm']) {
      const prompter = new ScriptedPrompter({ scanTime: '01:00', [name]: INTERRUPT });
      const printed: string[] = [];
      await expect(runWizard(prompter, { given: {}, prefill: [], summarize }, (t) => printed.push(t))).rejects.toBeInstanceOf(InterruptedError);
      expect(prompter.names.at(-1)).toBe(name);
      if (name !== 'confirm') expect(printed).toEqual([]);
    }
  });
});

describe('markedSettingsRows (the terminal summary of set and the wizard)', () => {
  it('marks each value changed (with what it was) or kept, the marks in one column', async () => {
    const { markedSettingsRows } = await import('../../src/cli/format.js');
    const settings: ImageScanSettings = { enable: true, scanTime: '02:00', scanPeriod: 1, scanVirus: true, scanRisk: true, scanVul: false, scanScope: 0, images: [], excludeImages: [], clusterIds: [], containerRunning: false };
    const rows = markedSettingsRows(settings, { ...settings, scanTime: '01:00', scanEndTime: '05:00' });
    const byLabel = Object.fromEntries(rows);
    expect(byLabel['Start time (UTC)']).toMatch(/^02:00 +changed \(was 01:00\)$/);
    expect(byLabel['End time (UTC)']).toMatch(/^\(none\) +changed \(was 05:00\)$/);
    expect(byLabel.Period).toMatch(/^1 +kept$/);
    expect(new Set(rows.map(([, v]) => v.search(/(kept|changed)/))).size).toBe(1);
  });
});
