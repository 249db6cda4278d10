/**
 * Settings the service accepts but that do less than they seem to: a list the scope ignores, scans turned on
 * with every scanner off. Warned about (on stderr, in the wizard before the last question), never refused: an
 * account may be set up in steps. Pure.
 */
import { SCOPE_NAMES, SETTING_FIELDS, type ResolvedSettings, type SettingField, type SettingKey, type ValueSource } from './fields.js';

/** Where a value was given by the user, as opposed to kept or defaulted. */
const GIVEN: ReadonlySet<ValueSource> = new Set(['flag', 'env', 'config', 'wizard', 'file']);

function scopeName(scope: number | undefined): string {
  return Object.keys(SCOPE_NAMES).find((k) => SCOPE_NAMES[k] === (scope ?? 0)) ?? String(scope);
}

/** One line per warning; `name` says how a field is spelled where it was given (a flag, a config key). */
export function settingsWarnings(resolved: ResolvedSettings, name: (field: SettingField) => string = (f) => f.flag): string[] {
  const { settings, sources } = resolved;
  const field = (key: SettingKey): SettingField => SETTING_FIELDS.find((f) => f.key === key) as SettingField;
  const given = (key: SettingKey): boolean => GIVEN.has(sources[key] as ValueSource);
  const warnings: string[] = [];
  const scope = settings.scanScope ?? 0;
  if (given('images') && settings.images?.length && scope !== 1) {
    warnings.push(`${name(field('images'))} has no effect unless the scope is "selected" (--scan-scope selected); the scope is "${scopeName(scope)}"`);
  }
  if (given('clusterIds') && settings.clusterIds?.length && scope !== 3) {
    warnings.push(`${name(field('clusterIds'))} has no effect unless the scope is "cluster" (--scan-scope cluster); the scope is "${scopeName(scope)}"`);
  }
  if (settings.enable && !settings.scanVirus && !settings.scanRisk && !settings.scanVul) {
    warnings.push('scans are on with every scanner off (--scan-virus, --scan-risk and --scan-vul): nothing would be scanned');
  }
  return warnings;
}
