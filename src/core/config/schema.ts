/**
 * The shape of a tcss config file (`.tcssrc*`, `tcss.config.*`, a `tcss` key in package.json, `--config FILE`),
 * checked without a schema library so the check costs nothing at start-up. schema/tcss.schema.json mirrors it
 * for editors; a test keeps the two in step.
 */
import { refersToItself } from '../acyclic.js';
import { UsageError } from '../errors.js';
import { suggest } from '../suggest.js';
import { validateImageScanSection, type SettingKey } from '../settings/index.js';

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
  /** STS host or URL for role credentials (TCSS_STS_ENDPOINT wins). */
  stsEndpoint?: string;
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
  stsEndpoint: 'string',
} as const satisfies Record<string, 'string' | 'number'>;

/** Key names that mean someone put a secret in the file. */
const SECRET_KEY_RE = /^(secret[-_]?key|secretkey|tencentcloud_secret_key|(session[-_]?)?token|tencentcloud_(session_)?token|password)$/i;

/** Finds a key path that holds a secret, anywhere in the document; a node shared through YAML aliases is looked at once. */
function findSecret(value: unknown, path: string, seen: Set<object> = new Set()): string | undefined {
  if (typeof value !== 'object' || value === null || seen.has(value)) return undefined;
  seen.add(value);
  for (const [key, child] of Object.entries(value)) {
    const here = path ? `${path}.${key}` : key;
    if (SECRET_KEY_RE.test(key)) return here;
    const nested = findSecret(child, here, seen);
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
  // Loaded files were inspected as they were read (load.ts); a document from elsewhere is checked here.
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
