/** `tcss image-scan set`: flags (+ config + defaults) → one settings object → CreateAssetImageScanSetting. */
import { ACTION_CREATE } from '../../core/api-model.js';
import { UsageError } from '../../core/errors.js';
import {
  configLayer,
  flagsLayer,
  resolveSettings,
  settingSourceLines,
  toRequestBody,
  type ResolvedSettings,
  type SettingFlags,
  type SettingsLayer,
} from '../../core/settings/index.js';
import { isCi } from '../confirm.js';
import { printDryRun, sendApiCall } from '../api-call.js';
import type { CommandContext } from '../context.js';
import { settingsRows, table } from '../format.js';

/** `image-scan set`'s own flags as commander parses them (no parser defaults: undefined means "not given"). */
export interface ImageScanSetFlags extends SettingFlags {
  interactive?: boolean;
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

/** Resolves flags > config file > defaults into the settings to send. */
export function resolveSetSettings(ctx: CommandContext, flags: ImageScanSetFlags): ResolvedSettings {
  const resolved = resolveSettings([flagsLayer(flags), configSettingsLayer(ctx)]);
  debugSettingSources(ctx, resolved);
  return resolved;
}

/** Sends the settings and prints the outcome. Shared with the wizard, which has shown them already (`shown`). */
export async function applySettings(ctx: CommandContext, resolved: ResolvedSettings, shown = false): Promise<string | undefined> {
  const body = toRequestBody(resolved.settings);
  if (ctx.dryRun) {
    await printDryRun(ctx, ACTION_CREATE, body);
    return undefined;
  }
  const response = await sendApiCall(ctx, ACTION_CREATE, body);
  const { out, outColor } = ctx.terminal;
  if (ctx.globals.output === 'json') {
    out.write(`${JSON.stringify(response, null, 2)}\n`);
  } else if (out.isTTY && shown) {
    out.write(`${outColor.green('✔')} Image-scan settings applied (RequestId ${response.RequestId})\n`);
  } else if (out.isTTY) {
    out.write(`${outColor.green('✔')} Image-scan settings applied\n`);
    out.write(table([...settingsRows(resolved.settings), ['RequestId', response.RequestId]], outColor));
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
 * Resolves, and when a required setting is given neither as a flag nor in the config file, adds a hint that
 * names every flag still to pass and the wizard.
 */
function resolveWithHint(ctx: CommandContext, flags: ImageScanSetFlags): ResolvedSettings {
  const wizard =
    ctx.globals.output === 'json'
      ? ' (the wizard does not run with JSON output)'
      : isCi(ctx.env)
        ? ' (the guided wizard does not run when CI is set)'
        : ', or run "tcss image-scan set" in a terminal for the guided wizard';
  const given = { ...configSettingsLayer(ctx).values, ...flagsLayer(flags).values };
  const missing = [given.enable === undefined ? '--enable or --disable' : '', given.scanTime === undefined ? '--scan-time HH:MM' : ''].filter(Boolean);
  try {
    return resolveSetSettings(ctx, flags);
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
  await applySettings(ctx, resolveWithHint(ctx, flags));
  return 0;
}
