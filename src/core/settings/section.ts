/** The keys of an image-scan section, in a config file (`imageScan`) or a policy file (the whole file). */
import { UsageError } from '../errors.js';
import { suggest } from '../suggest.js';
import { SETTING_FIELDS, type SettingKey } from './fields.js';

/** Checks the keys of an image-scan section (config file or policy file); values are parsed later. */
export function validateImageScanSection(value: unknown, where: string, codePrefix: 'Config' | 'Policy' = 'Config'): Partial<Record<SettingKey, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`${codePrefix}.Invalid`, `${where} must be an object`);
  }
  const known = SETTING_FIELDS.map((f) => f.key as string);
  for (const key of Object.keys(value)) {
    if (key === '$schema') continue;
    if (!known.includes(key)) {
      throw new UsageError(`${codePrefix}.UnknownKey`, `${where}: unknown key "${key}"${suggest(key, known)}`);
    }
  }
  const out: Partial<Record<SettingKey, unknown>> = {};
  for (const [key, v] of Object.entries(value)) if (key !== '$schema') out[key as SettingKey] = v;
  return out;
}
