/**
 * The layers a setting can come from before the account's current settings and the defaults: the `image-scan
 * set` flags and the config file's `imageScan` section. Both front ends (flags and wizard) build them here, so a
 * value gets the same name in every message whichever way it was given.
 */
import { FileKey, NONE_WORD, SETTING_FIELDS, type CurrentSettings, type ResolvedSettings, type SettingField, type SettingKey, type SettingsLayer } from './fields.js';

/** The setting flags of `image-scan set` as parsed (undefined means "not given": there are no parser defaults). */
export interface SettingFlags {
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
}

/** The flag a field is given with, as messages name it. */
export function flagName(field: SettingField): string {
  return field.key === 'enable' ? '--enable/--disable' : field.flag;
}

/** The flags layer: values the user typed. */
export function flagsLayer(flags: SettingFlags): SettingsLayer {
  const values: Partial<Record<SettingKey, unknown>> = {};
  for (const field of SETTING_FIELDS) {
    const v = (flags as Record<string, unknown>)[field.key];
    if (v !== undefined) values[field.key] = v;
  }
  if (flags.disable) values.enable = false;
  return { source: 'flag', values, where: flagName };
}

/** The config file's `imageScan` section; `fileName` is the file as messages show it. */
export function configLayer(section: Partial<Record<SettingKey, unknown>> | undefined, fileName: string): SettingsLayer {
  return {
    source: 'config',
    values: section ?? {},
    where: (field) => new FileKey(`"imageScan.${field.key}" in ${fileName}`, 'Config'),
  };
}

/** One line per setting, in table order, saying where its value came from (`scanPeriod = 3 from config`). */
export function settingSourceLines(resolved: ResolvedSettings): string[] {
  const lines: string[] = [];
  for (const field of SETTING_FIELDS) {
    const source = resolved.sources[field.key];
    const value = resolved.settings[field.key];
    if (source) lines.push(`${field.key} = ${value === undefined ? NONE_WORD : JSON.stringify(value)} from ${source}`);
  }
  return lines;
}

/** The account's current settings (DescribeAssetImageScanSetting) as the layer under flags and config. */
export function currentLayer(current: CurrentSettings): SettingsLayer {
  const values: Partial<Record<SettingKey, unknown>> = {};
  for (const field of SETTING_FIELDS) if (current[field.key] !== undefined) values[field.key] = current[field.key];
  return { source: 'current', values, where: (field) => `the current ${field.api}` };
}

/**
 * The first field whose current value the server sent in a form tcss cannot read and that no layer above the
 * current settings gives: a write would have to drop it.
 */
export function unreadableKept(current: CurrentSettings, above: readonly SettingsLayer[]): SettingField | undefined {
  return SETTING_FIELDS.find((field) => current.unreadable?.[field.key] !== undefined && above.every((layer) => layer.values[field.key] === undefined));
}
