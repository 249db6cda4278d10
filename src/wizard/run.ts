/**
 * The wizard as `tcss image-scan set` starts it: checks the values already given (flags and config file) before
 * the first question, prefills from the config file and the account's current settings, asks, and hands the
 * resolved settings back. It never sends and never prints a result: the command does both.
 */
import {
  SETTING_FIELDS,
  parseField,
  type ImageScanSettings,
  type ParsedSettings,
  type SettingKey,
  type SettingsLayer,
} from '../core/settings/index.js';
import { createInquirerPrompter } from './inquirer-prompter.js';
import { runWizard, type PrefillLayer, type WizardResult } from './wizard.js';

export interface SetWizardOptions {
  /** The setting flags given on the command line: their questions are skipped. */
  flags: SettingsLayer;
  /** The config file's imageScan section: it prefills the answers. */
  config: SettingsLayer;
  /** The account's current settings (undefined when they cannot or need not be read); they prefill next. */
  readCurrent: () => Promise<ParsedSettings | undefined>;
  dryRun: boolean;
  signal: AbortSignal;
  /** Where the wizard's own text (the summary) goes. */
  print: (text: string) => void;
  /** Renders the summary shown before the final question. */
  summarize: (settings: ImageScanSettings) => string;
  /** Shows a warning before the final question. */
  warn: (line: string) => void;
}

/** Parses every value of a layer, so a bad flag or config value stops the run before the first question. */
function parseLayer(layer: SettingsLayer): ParsedSettings {
  const out: Partial<Record<SettingKey, unknown>> = {};
  for (const field of SETTING_FIELDS) {
    const raw = layer.values[field.key];
    if (raw !== undefined) out[field.key] = parseField(field, raw, layer.where(field));
  }
  return out as ParsedSettings;
}

/** Runs the wizard in the terminal (process.stdin and process.stdout) and returns what was answered. */
export async function runSetWizard(options: SetWizardOptions): Promise<WizardResult> {
  const given = parseLayer(options.flags);
  const prefill: PrefillLayer[] = [{ source: 'config', values: parseLayer(options.config) }];
  const current = await options.readCurrent();
  if (current) prefill.push({ source: 'current', values: current });

  const prompter = await createInquirerPrompter({ input: process.stdin, output: process.stdout, signal: options.signal });
  try {
    return await runWizard(prompter, { given, prefill, dryRun: options.dryRun, summarize: options.summarize, warn: options.warn }, options.print);
  } finally {
    prompter.close();
  }
}
