/** `tcss image-scan set`: flags (+ config + defaults) → one settings object → CreateAssetImageScanSetting. */
import { ACTION_CREATE } from '../../core/api-model.js';
import {
  SETTING_FIELDS,
  resolveSettings,
  toRequestBody,
  type ResolvedSettings,
  type SettingField,
  type SettingKey,
  type SettingsLayer,
} from '../../core/settings.js';
import { printDryRun, sendApiCall } from '../api-call.js';
import type { CommandContext } from '../context.js';
import { settingsRows, table } from '../format.js';

/** Setting flags as commander parses them (no parser defaults: undefined means "not given"). */
export interface ImageScanSetFlags {
  enable?: boolean;
  disable?: boolean;
  scanTime?: string;
  scanEndTime?: string;
  scanPeriod?: string;
  scanVirus?: boolean;
  scanRisk?: boolean;
  scanVul?: boolean;
  containerRunning?: boolean;
  scanScope?: string;
  images?: string[];
  excludeImages?: string[];
  clusterIds?: string[];
  interactive?: boolean;
}

function flagName(field: SettingField): string {
  return field.key === 'enable' ? '--enable/--disable' : field.flag;
}

/** The flags layer: values the user typed. */
export function flagsLayer(flags: ImageScanSetFlags): SettingsLayer {
  const values: Partial<Record<SettingKey, unknown>> = {};
  for (const field of SETTING_FIELDS) {
    const v = (flags as Record<string, unknown>)[field.key];
    if (v !== undefined) values[field.key] = v;
  }
  if (flags.disable) values.enable = false;
  return { source: 'flag', values, where: flagName };
}

/** The config file's imageScan section. */
export function configLayer(ctx: Pick<CommandContext, 'config' | 'configName'>): SettingsLayer {
  return {
    source: 'config',
    values: ctx.config.config.imageScan ?? {},
    where: (field) => `"imageScan.${field.key}" in ${ctx.configName}`,
  };
}

/** True when no setting flag was given (the wizard's cue). */
export function hasSettingFlags(flags: ImageScanSetFlags): boolean {
  return Object.keys(flagsLayer(flags).values).length > 0;
}

/** Resolves flags > config file > defaults into the settings to send. */
export function resolveSetSettings(ctx: CommandContext, flags: ImageScanSetFlags): ResolvedSettings {
  const resolved = resolveSettings([flagsLayer(flags), configLayer(ctx)]);
  for (const field of SETTING_FIELDS) {
    const source = resolved.sources[field.key];
    if (source) ctx.debug(`${field.key} = ${JSON.stringify(resolved.settings[field.key])} from ${source}`);
  }
  return resolved;
}

/** Sends the settings and prints the outcome. Shared with the wizard. */
export async function applySettings(ctx: CommandContext, resolved: ResolvedSettings): Promise<string | undefined> {
  const body = toRequestBody(resolved.settings);
  if (ctx.dryRun) {
    await printDryRun(ctx, ACTION_CREATE, body);
    return undefined;
  }
  const response = await sendApiCall(ctx, ACTION_CREATE, body);
  const { out, outColor } = ctx.terminal;
  if (ctx.globals.output === 'json') {
    out.write(`${JSON.stringify(response, null, 2)}\n`);
  } else if (out.isTTY) {
    out.write(`${outColor.green('✔')} Image-scan settings applied\n`);
    out.write(table([...settingsRows(resolved.settings), ['RequestId', response.RequestId]], outColor));
  } else {
    out.write(`${response.RequestId}\n`);
  }
  return response.RequestId;
}

export async function imageScanSet(ctx: CommandContext, flags: ImageScanSetFlags): Promise<number> {
  await applySettings(ctx, resolveSetSettings(ctx, flags));
  return 0;
}
