/**
 * The shape of a tcss config file (`.tcssrc*`, `tcss.config.*`, a `tcss` key in package.json, `--config FILE`),
 * checked without a schema library so the check costs nothing at start-up. schema/tcss.schema.json mirrors it
 * for editors; a test keeps the two in step.
 */
import { refersToItself } from '../acyclic.js';
import { UsageError } from '../errors.js';
import { SETTING_FIELDS, type SettingKey } from '../settings/fields.js';

/** Defaults for the global options, and an `imageScan` section with defaults for `image-scan set`. */
export interface TcssConfig {
  profile?: string;
  region?: string;
  endpoint?: string;
  output?: string;
  timeout?: number;
  language?: string;
  retries?: number;
  proxy?: string;
  imageScan?: Partial<Record<SettingKey, unknown>>;
}

/** Global keys and the JSON type each takes. */
export const GLOBAL_CONFIG_KEYS = {
  profile: 'string',
  region: 'string',
  endpoint: 'string',
  output: 'string',
  timeout: 'number',
  language: 'string',
  retries: 'number',
  proxy: 'string',
} as const satisfies Record<string, 'string' | 'number'>;

/** Key names that mean someone put a secret in the file. */
const SECRET_KEY_RE = /^(secret[-_]?key|secretkey|tencentcloud_secret_key|(session[-_]?)?token|tencentcloud_(session_)?token|password)$/i;

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] as number;
      row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] as number;
}

/** ` (did you mean "x"?)` when a known name is close. */
export function suggest(name: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = levenshtein(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? ` (did you mean "${best}"?)` : '';
}

/** Finds a key path that holds a secret, anywhere in the document. */
function findSecret(value: unknown, path: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const here = path ? `${path}.${key}` : key;
    if (SECRET_KEY_RE.test(key)) return here;
    const nested = findSecret(child, here);
    if (nested) return nested;
  }
  return undefined;
}

/**
 * Checks a parsed config document and returns it typed. Unknown keys and wrong types are errors that name the
 * key and the file; a secret key anywhere is refused (config files end up in git).
 */
export function validateConfig(raw: unknown, file: string): TcssConfig {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new UsageError('Config.Invalid', `${file} must hold an object of settings`);
  }
  if (refersToItself(raw)) throw new UsageError('Config.Invalid', `${file} refers to itself (a YAML alias inside its own anchor)`);
  const secret = findSecret(raw, '');
  if (secret) {
    throw new UsageError('Config.SecretInFile', `${file} holds a secret ("${secret}"); tcss refuses config files with secrets because they end up in git`, {
      hint: 'remove it, rotate the key if the file was ever committed, and use TENCENTCLOUD_SECRET_KEY or ~/.tccli/<profile>.credential',
    });
  }
  const config: TcssConfig = {};
  const globalKeys = Object.keys(GLOBAL_CONFIG_KEYS);
  for (const [key, value] of Object.entries(raw)) {
    if (key === '$schema') continue;
    if (key === 'imageScan') {
      config.imageScan = validateImageScanSection(value, `${file}: imageScan`);
      continue;
    }
    const type = (GLOBAL_CONFIG_KEYS as Record<string, string>)[key];
    if (type === undefined) {
      throw new UsageError('Config.UnknownKey', `${file}: unknown key "${key}"${suggest(key, [...globalKeys, 'imageScan'])}`);
    }
    if (typeof value !== type) {
      throw new UsageError('Config.InvalidValue', `${file}: "${key}" must be a ${type}`);
    }
    (config as Record<string, unknown>)[key] = value;
  }
  return config;
}

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
