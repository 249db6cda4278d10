/**
 * The semantic diff behind `image-scan apply`/`diff`: desired settings (the keys a policy file
 * gives) against the account's current ones, field by field, and the full settings to write. Pure.
 *
 * "Semantic": times are compared as HH:MM (`11:05` equals the read API's `11:05:00`, normalised by the
 * parsers), lists as sets (order and duplicates do not matter, a missing list is an empty one), a missing
 * scope is the API's documented default 0, and the deprecated `All` is never looked at.
 */
import { UsageError } from '../errors.js';
import { policyWhere, type DesiredSettings } from './policy.js';
import {
  SETTING_FIELDS,
  resolveSettings,
  type CurrentSettings,
  type ImageScanSettings,
  type SettingField,
  type SettingKey,
} from './fields.js';

/** same: the file's value is already set; change: it will be written; kept: not in the file, current value kept. */
export type FieldStatus = 'same' | 'change' | 'kept';

export type SettingValue = ImageScanSettings[SettingKey];

export interface FieldDiff {
  field: SettingKey;
  current: SettingValue | undefined;
  /** The value the write sends (for `kept`, the current one). */
  desired: SettingValue | undefined;
  status: FieldStatus;
  /** Why a value not in the file changes: it is a required field the account has no value for. */
  note?: 'default';
}

export interface SettingsPlan {
  /** Every field, in SETTING_FIELDS order. */
  fields: FieldDiff[];
  /** The fields with status `change`. */
  changes: FieldDiff[];
  /** The full settings a write sends: the file's values over the current ones. */
  merged: ImageScanSettings;
}

function normalizedList(value: unknown): string[] {
  return Array.isArray(value) ? [...new Set(value as string[])].sort() : [];
}

/** Whether two values of a field mean the same setting. */
export function sameValue(field: SettingField, a: unknown, b: unknown): boolean {
  switch (field.kind) {
    case 'list': {
      const x = normalizedList(a);
      const y = normalizedList(b);
      return x.length === y.length && x.every((v, i) => v === y[i]);
    }
    case 'scope':
      return (a ?? 0) === (b ?? 0);
    default:
      return a === b;
  }
}

/** Only the setting keys of a Describe result (not lastScanTime, scanResult). */
function currentValues(current: CurrentSettings): Partial<Record<SettingKey, unknown>> {
  const out: Partial<Record<SettingKey, unknown>> = {};
  for (const field of SETTING_FIELDS) if (current[field.key] !== undefined) out[field.key] = current[field.key];
  return out;
}

/**
 * Plans a write: merges the desired values over the current ones (required fields neither gives get the
 * same defaults as `image-scan set`), checks the cross-field rules on the result, and marks each field.
 */
export function planSettings(desired: DesiredSettings, current: CurrentSettings, file: string): SettingsPlan {
  // A write sends every field: one the file leaves out keeps the current value, which must be readable.
  for (const field of SETTING_FIELDS) {
    const raw = current.unreadable?.[field.key];
    if (raw !== undefined && desired[field.key] === undefined) {
      throw new UsageError('Policy.CannotKeep', `the account's current ${field.api} (${raw}) is not a value tcss knows, so it cannot be kept`, {
        hint: `set ${policyWhere(file, field.key)} to the value the account should have`,
      });
    }
  }
  for (const key of ['enable', 'scanTime'] as const) {
    if (desired[key] === undefined && current[key] === undefined) {
      throw new UsageError('Policy.MissingValue', `${policyWhere(file, key)} is required: the account has no current value to keep`);
    }
  }
  const { settings: merged, sources } = resolveSettings([
    { source: 'file', values: desired, where: (f) => policyWhere(file, f.key) },
    { source: 'current', values: currentValues(current), where: (f) => `the current ${f.api}` },
  ]);
  const fields: FieldDiff[] = [];
  for (const field of SETTING_FIELDS) {
    const key = field.key;
    const entry: FieldDiff = { field: key, current: current[key], desired: merged[key], status: 'kept' };
    if (sources[key] === 'file') entry.status = sameValue(field, merged[key], current[key]) ? 'same' : 'change';
    else if (sources[key] === 'default') Object.assign(entry, { status: 'change', note: 'default' });
    fields.push(entry);
  }
  return { fields, changes: fields.filter((f) => f.status === 'change'), merged };
}
