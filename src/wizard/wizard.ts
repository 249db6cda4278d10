/**
 * The `image-scan set` wizard: asks only what the command line did not give, validates every answer
 * in place with the flags' own rules and messages, and returns the same ResolvedSettings the flags produce.
 */
import { UsageError } from '../core/errors.js';
import {
  SCOPE_NAMES,
  SETTING_DEFAULTS,
  SETTING_FIELDS,
  checkCrossFieldRules,
  parseList,
  parsePeriod,
  parseTime,
  NONE_WORD,
  resolveSettings,
  settingsWarnings,
  type ImageScanSettings,
  type ParsedSettings,
  type ResolvedSettings,
  type ScanScope,
  type SettingField,
  type SettingKey,
  type ValueSource,
} from '../core/settings/index.js';
import type { Choice, Prompter, Validate } from './prompter.js';

/** A layer of already-parsed values that prefill the answers. */
export interface PrefillLayer {
  source: ValueSource;
  values: ParsedSettings;
}

export interface WizardOptions {
  /** Parsed values from command-line flags: their questions are skipped and the values kept as given. */
  given: ParsedSettings;
  /**
   * Defaults for the answers, first wins: the config file, then the account's current settings. A question not
   * asked (not relevant to the scope, or scans turned off) keeps the value they give, else the default.
   */
  prefill: readonly PrefillLayer[];
  /** Changes the final question: nothing will be sent either way. */
  dryRun?: boolean;
  /** Renders the summary shown before the final question (the front end's table). */
  summarize: (settings: ImageScanSettings) => string;
  /** Shows a warning (scans on with no scanner, …) before the final question. */
  warn?: (line: string) => void;
}

export interface WizardResult {
  resolved: ResolvedSettings;
  /** False when the user answered no to the final question: nothing is to be sent. */
  confirmed: boolean;
}

type ScannerKey = 'scanVirus' | 'scanRisk' | 'scanVul';
const SCANNERS: ReadonlyArray<{ key: ScannerKey; name: string }> = [
  { key: 'scanVirus', name: 'Trojans and viruses (--scan-virus)' },
  { key: 'scanRisk', name: 'Sensitive information (--scan-risk)' },
  { key: 'scanVul', name: 'Vulnerabilities (--scan-vul)' },
];

const SCOPE_CHOICES: ReadonlyArray<Choice<ScanScope>> = [
  { value: 0, name: 'all', description: 'Every image the account has authorized for scanning (the API default).' },
  { value: 1, name: 'selected', description: 'Only the images you list next (--images).' },
  { value: 2, name: 'recommended', description: 'The images TCSS recommends scanning first.' },
  { value: 3, name: 'cluster', description: 'Only images in the clusters you list next (--cluster-ids).' },
];

/** Which scopes make an optional field matter; the wizard asks for it only then. */
const RELEVANT: Readonly<Record<'images' | 'clusterIds' | 'excludeImages' | 'containerRunning', (scope: ScanScope) => boolean>> = {
  images: (scope) => scope === 1,
  clusterIds: (scope) => scope === 3,
  excludeImages: (scope) => scope !== 1,
  containerRunning: (scope) => scope !== 1,
};

/** The flag a value is validated as, so an answer gets the very message the flag would. */
function flagOf(key: SettingKey): string {
  return (SETTING_FIELDS.find((f) => f.key === key) as SettingField).flag;
}

/** Turns a parser that throws a UsageError into a validate callback that returns its message. */
function validateWith(parse: (value: string) => unknown): Validate<string> {
  return (value) => {
    try {
      parse(value);
      return true;
    } catch (error) {
      if (error instanceof UsageError) return error.message;
      throw error;
    }
  };
}

/** An empty answer, or the word that clears a field everywhere (`none`), to clear a prefilled value. */
function isNone(value: string): boolean {
  const v = value.trim();
  return v === '' || v.toLowerCase() === NONE_WORD;
}

function noneHint(prefilled: unknown): string {
  return prefilled === undefined ? 'Enter for none' : `"${NONE_WORD}" for none`;
}

/** Asks the questions and the final confirmation; prints the summary through `print`. */
export async function runWizard(prompter: Prompter, options: WizardOptions, print: (text: string) => void): Promise<WizardResult> {
  const { given } = options;
  const answers: ParsedSettings = {};
  const isGiven = (key: SettingKey): boolean => given[key] !== undefined;
  const prefilled = <K extends SettingKey>(key: K): ImageScanSettings[K] | undefined => {
    for (const layer of options.prefill) {
      const value = layer.values[key];
      // Cleared (`scanEndTime: null` in the config file): nothing to offer, and no lower layer either.
      if (value === null) return undefined;
      // An empty list (the read API's `[]`) is no value to offer.
      if (value !== undefined && !(Array.isArray(value) && value.length === 0)) return value;
    }
    return undefined;
  };

  if (!isGiven('enable')) {
    answers.enable = await prompter.confirm({
      name: 'enable',
      message: 'Turn scheduled image scans on?',
      default: prefilled('enable') ?? true,
    });
  }

  // Scans off: the schedule, scanners and scope are not asked and keep their current values. The start time is
  // asked all the same when nothing gives one, since every write states it.
  const enabled = (given.enable ?? answers.enable) !== false;
  if (!isGiven('scanTime') && (enabled || prefilled('scanTime') === undefined)) {
    const where = flagOf('scanTime');
    const answer = await prompter.input({
      name: 'scanTime',
      message: 'Start time (UTC, HH:MM)',
      default: prefilled('scanTime'),
      validate: validateWith((v) => parseTime(v, where)),
    });
    answers.scanTime = parseTime(answer, where);
  }

  if (!isGiven('scanEndTime') && enabled) {
    const where = flagOf('scanEndTime');
    const current = prefilled('scanEndTime');
    const answer = await prompter.input({
      name: 'scanEndTime',
      message: `End time (UTC, HH:MM; ${noneHint(current)})`,
      default: current,
      validate: (v) => (isNone(v) ? true : validateWith((t) => parseTime(t, where))(v)),
    });
    // Cleared, not left out: a left-out value would be taken from the config file or the current settings.
    answers.scanEndTime = isNone(answer) ? null : parseTime(answer, where);
  }

  if (!isGiven('scanPeriod') && enabled) {
    // An input, not a number prompt: "abc" or "1.5" then get the flag's own message, not the library's.
    const where = flagOf('scanPeriod');
    const answer = await prompter.input({
      name: 'scanPeriod',
      message: 'Scan every how many days?',
      default: String(prefilled('scanPeriod') ?? SETTING_DEFAULTS.scanPeriod),
      validate: validateWith((v) => parsePeriod(v, where)),
    });
    answers.scanPeriod = parsePeriod(answer, where);
  }

  const scanners = enabled ? SCANNERS.filter((s) => !isGiven(s.key)) : [];
  if (scanners.length > 0) {
    const chosen = await prompter.checkbox<ScannerKey>({
      name: 'scanners',
      message: 'Which scanners should run?',
      choices: scanners.map((s) => ({ value: s.key, name: s.name, checked: prefilled(s.key) ?? SETTING_DEFAULTS[s.key] })),
    });
    for (const s of scanners) answers[s.key] = chosen.includes(s.key);
  }

  if (!isGiven('scanScope') && enabled) {
    answers.scanScope = await prompter.select<ScanScope>({
      name: 'scanScope',
      message: 'Which images should be scanned?',
      choices: SCOPE_CHOICES,
      default: prefilled('scanScope') ?? 0,
    });
  }
  const scope = (given.scanScope ?? answers.scanScope ?? prefilled('scanScope') ?? 0) as ScanScope;
  const scopeName = Object.keys(SCOPE_NAMES).find((k) => SCOPE_NAMES[k] === scope) ?? String(scope);

  for (const key of ['images', 'clusterIds'] as const) {
    if (isGiven(key) || !RELEVANT[key](scope) || !enabled) continue;
    const where = flagOf(key);
    const required = (v: string): string | true => {
      if (!isNone(v)) return validateWith((t) => parseList(t, where))(v);
      return validateWith(() => checkCrossFieldRules({ ...SETTING_DEFAULTS, enable: true, scanTime: '00:00', scanScope: scope }, flagOf))(v);
    };
    const answer = await prompter.input({
      name: key,
      message: key === 'images' ? 'Images to scan (image IDs or names, comma-separated)' : 'Cluster IDs (comma-separated, e.g. cls-xt1t)',
      default: prefilled(key)?.join(', '),
      validate: required,
    });
    answers[key] = parseList(answer, where);
  }

  if (!isGiven('excludeImages') && RELEVANT.excludeImages(scope) && enabled) {
    const where = flagOf('excludeImages');
    const current = prefilled('excludeImages');
    const answer = await prompter.input({
      name: 'excludeImages',
      message: `Images to leave out (comma-separated; ${noneHint(current)})`,
      default: current?.join(', '),
      validate: (v) => (isNone(v) ? true : validateWith((t) => parseList(t, where))(v)),
    });
    answers.excludeImages = isNone(answer) ? [] : parseList(answer, where);
  }

  if (!isGiven('containerRunning') && RELEVANT.containerRunning(scope) && enabled) {
    answers.containerRunning = await prompter.confirm({
      name: 'containerRunning',
      message: `Only scan ${scopeName === 'all' ? '' : `${scopeName} `}images that have running containers?`,
      default: prefilled('containerRunning') ?? false,
    });
  }

  // The same merge, parsing and cross-field rules as the flags path, with the flags' names in messages; what was
  // not asked comes from the config file and the current settings, then the defaults, every field stated.
  const resolved = resolveSettings(
    [
      { source: 'flag', values: given, where: (f) => (f.key === 'enable' ? '--enable/--disable' : f.flag) },
      { source: 'wizard', values: answers, where: (f) => f.flag },
      ...options.prefill.map((layer) => ({ source: layer.source, values: layer.values, where: (f: SettingField) => f.flag })),
    ],
    { explicit: true },
  );

  print(`\n${options.summarize(resolved.settings)}\n`);
  for (const line of settingsWarnings(resolved)) options.warn?.(line);
  const confirmed = await prompter.confirm({
    name: 'confirm',
    message: options.dryRun ? 'Show the request these settings would send (dry run, nothing is sent)?' : 'Send these settings?',
    default: true,
  });
  return { resolved, confirmed };
}
