/**
 * `tcss image-scan set`: flags > config file > the account's current settings > defaults → one settings object,
 * every field stated → CreateAssetImageScanSetting. `--replace` skips the read.
 */
import { ACTION_CREATE } from '../../core/api-model.js';
import { UsageError } from '../../core/errors.js';
import {
  SETTING_FIELDS,
  configLayer,
  currentLayer,
  flagName,
  flagsLayer,
  parseField,
  resolveSettings,
  settingSourceLines,
  settingsWarnings,
  toRequestBody,
  unreadableKept,
  type CurrentSettings,
  type ResolvedSettings,
  type SettingFlags,
  type SettingsLayer,
} from '../../core/settings/index.js';
import { isCi } from '../confirm.js';
import { printDryRun, sendApiCall } from '../api-call.js';
import type { CommandContext } from '../context.js';
import { readCurrentSettings, type CurrentRead } from '../current-settings.js';
import { markedSettingsRows, table } from '../format.js';

/** `image-scan set`'s own flags as commander parses them (no parser defaults: undefined means "not given"). */
export interface ImageScanSetFlags extends SettingFlags {
  interactive?: boolean;
  /** Write flags > config > defaults without reading the current settings. */
  replace?: boolean;
}

/** The config file's imageScan section, as a settings layer. */
export function configSettingsLayer(ctx: Pick<CommandContext, 'config' | 'configName'>): SettingsLayer {
  return configLayer(ctx.config.config.imageScan, ctx.configName);
}

/** True when no setting flag was given (the wizard's cue). */
export function hasSettingFlags(flags: ImageScanSetFlags): boolean {
  return Object.keys(flagsLayer(flags).values).length > 0;
}

/** --debug: one line per setting, in table order, saying where its value came from (`scanPeriod = 3 from config`). */
export function debugSettingSources(ctx: Pick<CommandContext, 'debug'>, resolved: ResolvedSettings): void {
  for (const line of settingSourceLines(resolved)) ctx.debug(line);
}

/** The flags and the config file, every value parsed now: a bad one stops the run before anything is read or sent. */
export function givenLayers(ctx: CommandContext, flags: ImageScanSetFlags): SettingsLayer[] {
  const layers = [flagsLayer(flags), configSettingsLayer(ctx)];
  for (const layer of layers) {
    for (const field of SETTING_FIELDS) {
      const raw = layer.values[field.key];
      if (raw !== undefined) parseField(field, raw, layer.where(field));
    }
  }
  return layers;
}

/**
 * Resolves flags > config file > the current settings (when read) > defaults into the settings to send, every
 * field stated. A current value tcss cannot read, and that nothing above replaces, is refused: the write would
 * drop it.
 */
export function resolveSetSettings(ctx: CommandContext, layers: readonly SettingsLayer[], current?: CurrentSettings): ResolvedSettings {
  if (current) {
    const field = unreadableKept(current, layers);
    if (field) {
      throw new UsageError('Usage.CannotKeep', `the account's current ${field.api} (${current.unreadable?.[field.key]}) is not a value tcss knows, so it cannot be kept`, {
        hint: `give ${flagName(field)} with the value the account should have`,
      });
    }
  }
  const resolved = resolveSettings(current ? [...layers, currentLayer(current)] : layers, { explicit: true });
  debugSettingSources(ctx, resolved);
  return resolved;
}

/** Prints each warning about the settings on stderr (they are sent all the same). */
export function printSettingsWarnings(ctx: CommandContext, resolved: ResolvedSettings): void {
  const { err, errColor } = ctx.terminal;
  for (const line of settingsWarnings(resolved, flagName)) err.write(`${errColor.yellow('warning')}: ${line}\n`);
}

export interface ApplyOptions {
  /** The wizard has shown the settings already. */
  shown?: boolean;
  /** The current settings the values were resolved over: the terminal summary marks what changes. */
  current?: CurrentRead;
  /** --dry-run: whether the current settings were looked for (plain set), so the note can say what the body holds. */
  readSkipped?: 'replace' | 'no-credentials';
}

/** Sends the settings and prints the outcome. Shared with the wizard. */
export async function applySettings(ctx: CommandContext, resolved: ResolvedSettings, options: ApplyOptions = {}): Promise<string | undefined> {
  const body = toRequestBody(resolved.settings);
  if (ctx.dryRun) {
    const note = options.current
      ? `dry run: the current settings were read (RequestId ${options.current.requestId}); nothing was written (signature redacted)`
      : options.readSkipped === 'no-credentials'
        ? 'dry run: nothing was sent; no credentials were found, so the current settings were not read (the body holds the flags, the config file and the defaults) and the request above is unsigned'
        : undefined;
    await printDryRun(ctx, ACTION_CREATE, body, note);
    return undefined;
  }
  const response = await sendApiCall(ctx, ACTION_CREATE, body);
  const { out, outColor } = ctx.terminal;
  if (ctx.globals.output === 'json') {
    out.write(`${JSON.stringify(response, null, 2)}\n`);
  } else if (out.isTTY && options.shown) {
    out.write(`${outColor.green('✔')} Image-scan settings applied (RequestId ${response.RequestId})\n`);
  } else if (out.isTTY) {
    out.write(`${outColor.green('✔')} Image-scan settings applied\n`);
    out.write(table([...markedSettingsRows(resolved.settings, options.current?.current, outColor), ['RequestId', response.RequestId]], outColor));
  } else {
    out.write(`${response.RequestId}\n`);
  }
  return response.RequestId;
}

/** Whether a person can answer prompts: stdin and stdout are terminals and this is not CI. */
export function canPrompt(ctx: Pick<CommandContext, 'terminal' | 'env'>): boolean {
  // stdout first: reading stdinIsTTY opens process.stdin, which output into a pipe (CI) never needs.
  return ctx.terminal.out.isTTY && ctx.terminal.stdinIsTTY && !isCi(ctx.env);
}

/**
 * Resolves, and when a required setting is given neither as a flag nor in the config file (nor read from the
 * account), adds a hint that names every flag still to pass and the wizard.
 */
function resolveWithHint(ctx: CommandContext, layers: readonly SettingsLayer[], current?: CurrentSettings): ResolvedSettings {
  const wizard =
    ctx.globals.output === 'json'
      ? ' (the wizard does not run with JSON output)'
      : isCi(ctx.env)
        ? ' (the guided wizard does not run when CI is set)'
        : canPrompt(ctx)
          ? ', or run "tcss image-scan set -i" for the guided wizard'
          : ', or run "tcss image-scan set" in a terminal for the guided wizard';
  const given = Object.assign({}, ...[...layers].reverse().map((l) => l.values), current ?? {}) as Partial<Record<string, unknown>>;
  const missing = [given.enable === undefined ? '--enable or --disable' : '', given.scanTime === undefined ? '--scan-time HH:MM' : ''].filter(Boolean);
  try {
    return resolveSetSettings(ctx, layers, current);
  } catch (error) {
    if (!(error instanceof UsageError) || error.code !== 'Usage.MissingValue' || missing.length === 0) throw error;
    throw new UsageError(error.code, error.message, {
      hint: `pass ${missing.join(' and ')}${wizard}`,
      cause: error,
    });
  }
}

/** Where JSON output was asked for, as the user wrote it. */
function jsonOutputSource(ctx: CommandContext): string {
  const from = ctx.sources.output;
  if (from?.source === 'env') return `${from.name}=json`;
  if (from?.source === 'config') return `"output": "json" in ${from.name}`;
  return '--output json';
}

export async function imageScanSet(ctx: CommandContext, flags: ImageScanSetFlags): Promise<number> {
  // JSON output is for scripts: the wizard never starts on its own, and asking for it is a conflict.
  const json = ctx.globals.output === 'json';
  if (flags.interactive && json) {
    throw new UsageError('Usage.Conflict', `--interactive cannot be used with ${jsonOutputSource(ctx)}: the wizard is for a person, JSON output for scripts`, {
      hint: 'drop one of them; for JSON, pass the settings as flags, e.g. tcss image-scan set --enable --scan-time 01:00 --output json',
    });
  }
  const terminal = canPrompt(ctx);
  if (flags.interactive && !terminal) {
    throw new UsageError('Usage.NotATerminal', '--interactive needs a terminal: stdin and stdout must be a TTY, and CI must not be true', {
      hint: 'pass the settings as flags instead, e.g. tcss image-scan set --enable --scan-time 01:00',
    });
  }
  if (flags.interactive || (terminal && !json && !hasSettingFlags(flags))) {
    // Loaded only now: the wizard and @inquirer/prompts cost nothing to runs that do not use them.
    const { runSetWizardCommand } = await import('../set-wizard.js');
    return runSetWizardCommand(ctx, flags);
  }
  const layers = givenLayers(ctx, flags);
  // Nothing given at all: nothing to change, so nothing is read either; the error names what to pass.
  if (layers.every((layer) => Object.keys(layer.values).length === 0)) resolveWithHint(ctx, layers);
  // --replace, and a dry run without credentials, write flags > config > defaults; otherwise the account's
  // current settings come under the flags and the config file, so that what is not given is kept.
  let current: CurrentRead | undefined;
  let readSkipped: ApplyOptions['readSkipped'] = 'replace';
  if (!flags.replace) {
    if (ctx.dryRun && !(await ctx.optionalCredentials())) readSkipped = 'no-credentials';
    else current = await readCurrentSettings(ctx);
  }
  const resolved = resolveWithHint(ctx, layers, current?.current);
  printSettingsWarnings(ctx, resolved);
  await applySettings(ctx, resolved, { ...(current ? { current } : { readSkipped }) });
  return 0;
}
