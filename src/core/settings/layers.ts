/**
 * The layers a setting can come from before the account's current settings and the defaults: the `image-scan
 * set` flags and the config file's `imageScan` section. Both front ends (flags and wizard) build them here, so a
 * value gets the same name in every message whichever way it was given.
 */
import { FileKey, SETTING_FIELDS, type ResolvedSettings, type SettingField, type SettingKey, type SettingsLayer } from './fields.js';

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
    if (source) lines.push(`${field.key} = ${JSON.stringify(resolved.settings[field.key])} from ${source}`);
  }
  return lines;
}
