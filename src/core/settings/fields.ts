/**
 * The typed image-scan settings object every front end produces (flags, wizard, policy file), its validation
 * rules and messages, and its mapping to and from the wire. Pure: no I/O.
 */
import type { CreateSettingRequest, DescribeSettingResponse } from '../api-model.js';
import { NetworkError, UsageError } from '../errors.js';
import { printable } from '../printable.js';

export type ScanScope = 0 | 1 | 2 | 3;

/** What CreateAssetImageScanSetting receives, in tcss's own names. */
export interface ImageScanSettings {
  enable: boolean;
  /** HH:MM, UTC. */
  scanTime: string;
  scanPeriod: number;
  scanVirus: boolean;
  scanRisk: boolean;
  scanVul: boolean;
  scanEndTime?: string;
  containerRunning?: boolean;
  scanScope?: ScanScope;
  images?: string[];
  excludeImages?: string[];
  clusterIds?: string[];
}
export type SettingKey = keyof ImageScanSettings;

/** Where a resolved value came from; `--debug` prints it. */
export type ValueSource = 'flag' | 'env' | 'config' | 'wizard' | 'file' | 'current' | 'default';

export type FieldKind = 'boolean' | 'time' | 'period' | 'scope' | 'list';

export interface SettingField {
  readonly key: SettingKey;
  readonly api: keyof CreateSettingRequest;
  /** The flag that sets it, e.g. `--scan-time` (booleans also have `--no-…` or `--disable`). */
  readonly flag: string;
  readonly kind: FieldKind;
  readonly required: boolean;
  /** Human name for summaries. */
  readonly label: string;
}

/** Every field, in the order the API documents them. One table for flags, config, wizard, diff and body. */
export const SETTING_FIELDS: readonly SettingField[] = [
  { key: 'enable', api: 'Enable', flag: '--enable', kind: 'boolean', required: true, label: 'Enabled' },
  { key: 'scanTime', api: 'ScanTime', flag: '--scan-time', kind: 'time', required: true, label: 'Start time (UTC)' },
  { key: 'scanEndTime', api: 'ScanEndTime', flag: '--scan-end-time', kind: 'time', required: false, label: 'End time (UTC)' },
  { key: 'scanPeriod', api: 'ScanPeriod', flag: '--scan-period', kind: 'period', required: true, label: 'Period' },
  { key: 'scanVirus', api: 'ScanVirus', flag: '--scan-virus', kind: 'boolean', required: true, label: 'Scan for trojans' },
  { key: 'scanRisk', api: 'ScanRisk', flag: '--scan-risk', kind: 'boolean', required: true, label: 'Scan for sensitive information' },
  { key: 'scanVul', api: 'ScanVul', flag: '--scan-vul', kind: 'boolean', required: true, label: 'Scan for vulnerabilities' },
  { key: 'containerRunning', api: 'ContainerRunning', flag: '--container-running', kind: 'boolean', required: false, label: 'Only images with running containers' },
  { key: 'scanScope', api: 'ScanScope', flag: '--scan-scope', kind: 'scope', required: false, label: 'Scope' },
  { key: 'images', api: 'Images', flag: '--images', kind: 'list', required: false, label: 'Images' },
  { key: 'excludeImages', api: 'ExcludeImages', flag: '--exclude-images', kind: 'list', required: false, label: 'Excluded images' },
  { key: 'clusterIds', api: 'ClusterIDs', flag: '--cluster-ids', kind: 'list', required: false, label: 'Cluster IDs' },
];

/** Defaults for required fields the user did not give. */
export const SETTING_DEFAULTS: Readonly<Pick<ImageScanSettings, 'scanPeriod' | 'scanVirus' | 'scanRisk' | 'scanVul'>> = {
  scanPeriod: 1,
  scanVirus: true,
  scanRisk: true,
  scanVul: true,
};

/**
 * What a write states for the optional fields nobody gave: scope "all" (the API's documented default), images
 * with or without running containers, empty lists. "No end time" is no value at all: a write leaves
 * `ScanEndTime` out (docs/api.md#actions-and-fields).
 */
export const OPTIONAL_DEFAULTS: Readonly<Pick<ImageScanSettings, 'containerRunning' | 'scanScope' | 'images' | 'excludeImages' | 'clusterIds'>> = {
  containerRunning: false,
  scanScope: 0,
  images: [],
  excludeImages: [],
  clusterIds: [],
};

/**
 * The one word that clears a field, on every front end: `--scan-end-time none`, `--images none`, and in the
 * wizard; in a config or policy file `scanEndTime: null` or `none`, and `[]` (or `none`) for a list.
 */
export const NONE_WORD = 'none';

/** Whether a raw value is the word that clears a field (or null, which files use). */
export function isNoneValue(value: unknown): boolean {
  if (value === null) return true;
  if (typeof value === 'string') return value.trim().toLowerCase() === NONE_WORD;
  return Array.isArray(value) && value.length === 1 && isNoneValue(value[0]);
}

/** Fields that can be cleared: the end time and the lists. */
export function isClearable(field: SettingField): boolean {
  return field.kind === 'list' || field.key === 'scanEndTime';
}

export const SCOPE_NAMES: Readonly<Record<string, ScanScope>> = { all: 0, selected: 1, recommended: 2, cluster: 3 };
export const SCOPE_DESCRIPTIONS: Readonly<Record<ScanScope, string>> = {
  0: 'all authorized images',
  1: 'selected images (--images)',
  2: 'recommended scan',
  3: 'images in selected clusters (--cluster-ids)',
};
export const SCOPE_ACCEPTED = '0-3 or all, selected, recommended, cluster';

/** The read API answers `11:05:00`; seconds are accepted on input and dropped. */
const TIME_WITH_SECONDS_RE = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;

/**
 * A key in a config or policy file as messages name it (`"imageScan.scanTime" in ~/.tcssrc.json`); a bad value
 * there gets the file's error code (`Config.InvalidValue`, `Policy.InvalidValue`) and reads "the value … of …".
 */
export class FileKey {
  constructor(
    readonly text: string,
    readonly prefix: 'Config' | 'Policy',
  ) {}

  toString(): string {
    return this.text;
  }
}

/** `where` names the origin of a value in messages: a flag, or a key in a file. */
export type Where = string | FileKey;

function quote(value: unknown): string {
  // JSON reads 1e309 as Infinity, which JSON.stringify would print as null.
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  const short = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return JSON.stringify(short);
}

/** The error code for a bad value, by where it was given. */
export function invalidValueCode(where: Where): string {
  return `${where instanceof FileKey ? where.prefix : 'Usage'}.InvalidValue`;
}

/** `--scan-time "25:00"`, or `the value "25:00" of "imageScan.scanTime" in ~/.tcssrc.json`. */
function subject(where: Where, value: unknown): string {
  return where instanceof FileKey ? `the value ${quote(value)} of ${where.text}` : `${where} ${quote(value)}`;
}

function invalid(where: Where, value: unknown, what: string): UsageError {
  return new UsageError(invalidValueCode(where), `${subject(where, value)} is not a valid ${what}`);
}

/** Parses `HH:MM` (or `HH:MM:SS` with zero seconds). */
export function parseTime(value: unknown, where: Where): string {
  if (typeof value === 'string') {
    const m = TIME_WITH_SECONDS_RE.exec(value.trim());
    if (m && (m[3] === undefined || m[3] === '00')) return `${m[1]}:${m[2]}`;
  }
  throw invalid(where, value, 'time: use HH:MM from 00:00 to 23:59 (UTC)');
}

const PERIOD_RANGE = 'use a whole number of days from 1 to 2147483647 (1, 2, 7, …)';

export function parsePeriod(value: unknown, where: Where): number {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    const what = where instanceof FileKey ? `the value of ${where.text}` : String(where);
    throw new UsageError(invalidValueCode(where), `${what} is a number too large to read: ${PERIOD_RANGE}`);
  }
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (Number.isSafeInteger(n) && n >= 1 && n <= 2 ** 31 - 1) return n;
  throw invalid(where, value, `period: ${PERIOD_RANGE}`);
}

export function parseScope(value: unknown, where: Where): ScanScope {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 3) return value as ScanScope;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (/^[0-3]$/.test(v)) return Number(v) as ScanScope;
    const named = SCOPE_NAMES[v];
    if (named !== undefined && Object.hasOwn(SCOPE_NAMES, v)) return named;
  }
  throw invalid(where, value, `scope: use ${SCOPE_ACCEPTED}`);
}

export function parseBoolean(value: unknown, where: Where): boolean {
  if (typeof value === 'boolean') return value;
  throw invalid(where, value, 'switch: use true or false');
}

/**
 * Parses a list given as an array and/or comma-separated strings (a repeatable flag gives several). Items are
 * trimmed; an empty item is an error; duplicates are kept once.
 */
export function parseList(value: unknown, where: Where): string[] {
  const parts: unknown[] = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  // A Set, not out.includes(): a list of 100k items is checked in linear time.
  const seen = new Set<string>();
  for (const part of parts) {
    if (typeof part !== 'string') {
      throw invalid(where, part, 'list item: use text such as an image ID or cluster ID');
    }
    for (const item of part.split(',')) {
      const trimmed = item.trim();
      if (trimmed === '') throw new UsageError(invalidValueCode(where), `${where} has an empty item: remove the extra comma or give a value`);
      if (/[\u0000-\u001f\u007f]/.test(trimmed)) {
        throw new UsageError(invalidValueCode(where), `${subject(where, trimmed)} contains a control character`);
      }
      if (trimmed.toLowerCase() === NONE_WORD) {
        throw new UsageError(invalidValueCode(where), `${where} has "${NONE_WORD}" among other items: "${NONE_WORD}" alone clears the list`);
      }
      if (!seen.has(trimmed)) {
        seen.add(trimmed);
        out.push(trimmed);
      }
    }
  }
  return out;
}

/**
 * A parsed value, where `null` is "cleared" (no end time): kept apart from undefined, which is "not given", so
 * a cleared value is not filled in from a lower layer.
 */
export type ParsedValue = ImageScanSettings[SettingKey] | null;
/** Parsed values of some fields, `null` meaning cleared (only the end time; a cleared list is `[]`). */
export type ParsedSettings = { [K in SettingKey]?: ImageScanSettings[K] | null };

/** Parses one field's raw value by its kind; `none` (or null) clears the end time and the lists. */
export function parseField(field: SettingField, value: unknown, where: Where): ParsedValue {
  if (isClearable(field) && isNoneValue(value)) return field.kind === 'list' ? [] : null;
  switch (field.kind) {
    case 'boolean':
      return parseBoolean(value, where);
    case 'time':
      return parseTime(value, where);
    case 'period':
      return parsePeriod(value, where);
    case 'scope':
      return parseScope(value, where);
    case 'list':
      return parseList(value, where);
  }
}

/** A resolved settings object and where each value came from. */
export interface ResolvedSettings {
  settings: ImageScanSettings;
  sources: Partial<Record<SettingKey, ValueSource>>;
}

/** One layer of raw values: flags, a config file, the wizard… `where` names each key for messages. */
export interface SettingsLayer {
  source: ValueSource;
  /** Raw values; undefined is "not given", null or `none` clears a clearable field. */
  values: Partial<Record<SettingKey, unknown>>;
  where: (field: SettingField) => Where;
}

export interface ResolveOptions {
  /**
   * Every optional field gets a value too (OPTIONAL_DEFAULTS), so that a write states the whole setting and its
   * outcome does not depend on whether the service merges or replaces what a request leaves out.
   */
  explicit?: boolean;
}

/**
 * Merges layers (first wins), parses every value, applies defaults to the required fields (and with `explicit`
 * to the optional ones), and checks the cross-field rules. A cleared value (`none`) stops the search like any
 * other. Throws a UsageError naming the flag (or config key) and what is accepted.
 */
export function resolveSettings(layers: readonly SettingsLayer[], options: ResolveOptions = {}): ResolvedSettings {
  const out: Partial<Record<SettingKey, unknown>> = {};
  const sources: Partial<Record<SettingKey, ValueSource>> = {};
  const whereOf: Partial<Record<SettingKey, Where>> = {};
  const defaults: Partial<Record<SettingKey, unknown>> = { ...SETTING_DEFAULTS, ...(options.explicit ? OPTIONAL_DEFAULTS : {}) };
  let scopeLayer: SettingsLayer | undefined;
  for (const field of SETTING_FIELDS) {
    for (const layer of layers) {
      const raw = layer.values[field.key];
      if (raw === undefined) continue;
      const where = layer.where(field);
      const value = parseField(field, raw, where);
      if (value !== null) out[field.key] = value;
      sources[field.key] = layer.source;
      whereOf[field.key] = where;
      if (field.key === 'scanScope') scopeLayer = layer;
      break;
    }
    if (sources[field.key] === undefined && defaults[field.key] !== undefined) {
      const value = defaults[field.key];
      out[field.key] = Array.isArray(value) ? [...(value as string[])] : value;
      sources[field.key] = 'default';
    }
  }
  if (out.enable === undefined) {
    throw new UsageError('Usage.MissingValue', 'one of --enable or --disable is required (or "enable" in the config file)');
  }
  if (out.scanTime === undefined) {
    throw new UsageError('Usage.MissingValue', '--scan-time HH:MM is required (or "scanTime" in the config file)');
  }
  const settings = out as unknown as ImageScanSettings;
  // A missing partner of scanScope is named the way the layer that set the scope names its keys: a flag, or a
  // key in the config or policy file.
  checkCrossFieldRules(settings, (key) => {
    const field = SETTING_FIELDS.find((f) => f.key === key) as SettingField;
    return (key === 'scanScope' ? whereOf[key] : scopeLayer?.where(field)) ?? field.flag;
  });
  return { settings, sources };
}

/** Rules that involve more than one field. */
export function checkCrossFieldRules(settings: ImageScanSettings, where: (key: SettingKey) => Where): void {
  if (settings.scanScope === 1 && !settings.images?.length) {
    throw new UsageError('Usage.MissingValue', `${where('scanScope')} selected needs ${where('images')} with at least one image`);
  }
  if (settings.scanScope === 3 && !settings.clusterIds?.length) {
    throw new UsageError('Usage.MissingValue', `${where('scanScope')} cluster needs ${where('clusterIds')} with at least one cluster ID`);
  }
}

/** The exact CreateAssetImageScanSetting body: required fields always, optional ones only when set. */
export function toRequestBody(settings: ImageScanSettings): CreateSettingRequest {
  const body: Record<string, unknown> = {};
  for (const field of SETTING_FIELDS) {
    const value = settings[field.key];
    if (value !== undefined) body[field.api] = Array.isArray(value) ? [...value] : value;
  }
  return body as unknown as CreateSettingRequest;
}

/** Current settings as DescribeAssetImageScanSetting reports them, in tcss's names (All is ignored). */
export interface CurrentSettings extends Partial<ImageScanSettings> {
  lastScanTime?: string;
  scanResult?: string;
  /** Values the server sent that tcss cannot read (printable, shortened): shown as they are, never dropped by a write. */
  unreadable?: Partial<Record<SettingKey, string>>;
}

/**
 * Maps a Describe response to settings; tolerant of missing fields and `HH:MM:SS` times. An answer with none of
 * the settings fields (only a RequestId) is no answer: a NetworkError (exit 4), never a table of blanks.
 */
export function fromDescribeResponse(response: DescribeSettingResponse): CurrentSettings {
  const record = response as unknown as Record<string, unknown>;
  if (SETTING_FIELDS.every((field) => record[field.api] === undefined || record[field.api] === null)) {
    throw new NetworkError('Network.BadResponse', 'the DescribeAssetImageScanSetting answer holds no settings, only a RequestId, so it is not a valid answer from the API', {
      hint: 'check --endpoint and any proxy: the answer did not come from TCSS',
    });
  }
  const out: CurrentSettings = {};
  for (const field of SETTING_FIELDS) {
    const raw = (response as unknown as Record<string, unknown>)[field.api];
    // The read API says "none" with null, a missing field or an empty string (ScanEndTime: "").
    if (raw === undefined || raw === null || raw === '') continue;
    try {
      (out as Record<string, unknown>)[field.key] = parseField(field, raw, field.api);
    } catch {
      // An unexpected value from the server does not fail the whole read: it is kept aside, shown as it is, and
      // a write that would drop it is refused (diff.ts).
      out.unreadable = { ...out.unreadable, [field.key]: printable(JSON.stringify(raw) ?? String(raw), 64) };
    }
  }
  if (typeof response.LastScanTime === 'string' && response.LastScanTime !== '') out.lastScanTime = printable(response.LastScanTime, 64);
  if (typeof response.ScanResult === 'string' && response.ScanResult !== '') out.scanResult = printable(response.ScanResult, 64);
  return out;
}

/** How every table shows a field with no value: no end time, an empty list. */
export const NONE_LABEL = '(none)';

/** A value as a person reads it. */
export function formatValue(field: SettingField, value: unknown): string {
  if (value === undefined) return isClearable(field) ? NONE_LABEL : '-';
  switch (field.kind) {
    case 'boolean':
      if (field.key === 'enable') return value ? 'enabled' : 'disabled';
      return value ? 'yes' : 'no';
    case 'scope': {
      const scope = value as ScanScope;
      const name = Object.keys(SCOPE_NAMES).find((k) => SCOPE_NAMES[k] === scope) ?? String(scope);
      return `${name} (${scope}: ${SCOPE_DESCRIPTIONS[scope] ?? 'unknown'})`;
    }
    case 'period':
      return String(value);
    case 'list':
      return (value as string[]).length ? (value as string[]).join(', ') : NONE_LABEL;
    default:
      return String(value);
  }
}
