/**
 * Credential provider chain (docs/credentials.md; the files' formats: docs/api.md#credential-and-config-conventions).
 * Returns values, never prints. There is deliberately no way to pass a secret on the command line: it would land in shell history and process lists.
 *
 * Order, first found wins:
 *   1. env TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY (+ TENCENTCLOUD_SESSION_TOKEN or tccli's
 *      TENCENTCLOUD_TOKEN) — skipped when a profile was chosen explicitly (--profile, TCSS_PROFILE, TCCLI_PROFILE);
 *   2. tccli's ~/.tccli/<profile>.credential (JSON);
 *   3. the SDK's ~/.tencentcloud/credentials (INI, section = profile).
 */
// Synchronous reads of a few small files: node:fs/promises (and the readline module it loads) would cost every
// start-up more than the reads themselves (docs/performance.md).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tildify, type Env } from '../env.js';
import { UsageError } from '../errors.js';

export interface Credentials {
  secretId: string;
  secretKey: string;
  token?: string;
  /** Where they were read from, for `--debug` and error hints (never the values). */
  source: string;
}

export interface CredentialQuery {
  env: Env;
  /** Profile name; `default` unless chosen. */
  profile: string;
  /** True when the user chose the profile (flag, env or config): then the env keys are not used. */
  profileExplicit: boolean;
  /** Home directory whose ~/.tccli and ~/.tencentcloud are read. */
  home: string;
}

const PROFILE_RE = /^[A-Za-z0-9_.-]{1,64}$/;

/** Checks a profile name before it becomes part of a file path. */
export function checkProfileName(profile: string, where: string): string {
  if (!PROFILE_RE.test(profile) || profile.startsWith('.')) {
    throw new UsageError('Usage.InvalidValue', `${where} ${JSON.stringify(profile.slice(0, 64))} is not a valid profile name: use letters, digits, "-", "_" or "."`);
  }
  return profile;
}

export function tccliCredentialPath(home: string, profile: string): string {
  return join(home, '.tccli', `${profile}.credential`);
}

export function sdkCredentialPath(home: string): string {
  return join(home, '.tencentcloud', 'credentials');
}

async function readOptional(path: string, home: string): Promise<string | undefined> {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    const why = code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? 'error');
    throw new UsageError('Credentials.Unreadable', `cannot read the credential file ${tildify(path, home)}: ${why}`, {
      cause: error,
      hint: 'fix or remove the file, or use the TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY variables',
    });
  }
}

/** Parses a minimal INI file: `[section]` headers and `key = value` lines; `#` and `;` start comments. */
export function parseIni(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (header) {
      current = new Map();
      sections.set(header[1] as string, current);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0 && current) current.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return sections;
}

/** Trims a key and refuses one that still holds whitespace or control characters inside. */
function cleanKey(value: string, what: string, source: string): string {
  const trimmed = value.trim();
  if (/[\s\u0000-\u001f\u007f]/.test(trimmed) || !/^[\x21-\x7e]+$/.test(trimmed)) {
    throw new UsageError('Credentials.Invalid', `the ${what} from ${source} contains spaces or characters a key never has`, {
      hint: 'copy the key again from the CAM console (API keys page)',
    });
  }
  return trimmed;
}

function build(secretId: string | undefined, secretKey: string | undefined, token: string | undefined, source: string): Credentials | undefined {
  const id = secretId?.trim() ? secretId : undefined;
  const key = secretKey?.trim() ? secretKey : undefined;
  if (!id && !key) return undefined;
  if (!id || !key) {
    throw new UsageError('Credentials.Incomplete', `${source} has a ${id ? 'SecretId but no SecretKey' : 'SecretKey but no SecretId'}`, {
      hint: 'set both the SecretId and the SecretKey',
    });
  }
  const creds: Credentials = { secretId: cleanKey(id, 'SecretId', source), secretKey: cleanKey(key, 'SecretKey', source), source };
  // SecretIds start with AKID and SecretKeys do not: swapped, the key would be sent (and shown) as the id.
  if (creds.secretKey.startsWith('AKID') && !creds.secretId.startsWith('AKID')) {
    throw new UsageError('Credentials.Swapped', `the SecretId and SecretKey from ${source} look swapped: the key starts with AKID, as only ids do`, {
      hint: 'put the value that starts with AKID in the SecretId and the other in the SecretKey',
    });
  }
  if (token?.trim()) creds.token = cleanKey(token, 'session token', source);
  return creds;
}

function fromEnv(env: Env): Credentials | undefined {
  const token = env.TENCENTCLOUD_SESSION_TOKEN ?? env.TENCENTCLOUD_TOKEN;
  return build(env.TENCENTCLOUD_SECRET_ID, env.TENCENTCLOUD_SECRET_KEY, token, 'the environment (TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY)');
}

async function fromTccli(home: string, profile: string): Promise<Credentials | undefined> {
  const path = tccliCredentialPath(home, profile);
  const text = await readOptional(path, home);
  if (text === undefined) return undefined;
  const shown = tildify(path, home);
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, '')); // a byte-order mark from an editor is not part of the JSON
  } catch {
    throw new UsageError('Credentials.Invalid', `${shown} is not valid JSON`, { hint: 'run "tccli configure" again, or fix the file' });
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new UsageError('Credentials.Invalid', `${shown} is not a JSON object`);
  }
  const record = data as Record<string, unknown>;
  for (const key of ['secretId', 'secretKey', 'token', 'type']) {
    if (record[key] !== undefined && record[key] !== null && typeof record[key] !== 'string') {
      throw new UsageError('Credentials.Invalid', `"${key}" in ${shown} must be a string`, { hint: 'run "tccli configure" again, or fix the file' });
    }
  }
  const str = (k: string): string | undefined => (typeof record[k] === 'string' ? (record[k] as string) : undefined);
  if (str('type') && str('type') !== 'secret' && !str('secretKey')) {
    throw new UsageError('Credentials.Unsupported', `${shown} uses credential type ${JSON.stringify(str('type'))}, which tcss does not support yet`, {
      hint: 'use a SecretId/SecretKey pair, or temporary keys with a token',
    });
  }
  const creds = build(str('secretId'), str('secretKey'), str('token'), shown);
  if (!creds) checkKeyCase(Object.keys(record), ['secretId', 'secretKey'], shown);
  return creds;
}

/**
 * A file that was found but gave no keys: when it holds them spelled in another case (`SecretId`), says so
 * rather than "no credentials found" (keys are case-sensitive).
 */
function checkKeyCase(keys: readonly string[], wanted: readonly string[], shown: string): void {
  const near = keys.filter((k) => !wanted.includes(k) && wanted.some((w) => w.toLowerCase() === k.toLowerCase()));
  if (near.length === 0) return;
  throw new UsageError('Credentials.Invalid', `${shown} was found but has no ${wanted.map((w) => `"${w}"`).join(' or ')}: keys are case-sensitive, and it has ${near.map((k) => `"${k}"`).join(', ')}`, {
    hint: `rename them to ${wanted.map((w) => `"${w}"`).join(' and ')}, or run "tccli configure" again`,
  });
}

async function fromSdkFile(home: string, profile: string): Promise<Credentials | undefined> {
  const path = sdkCredentialPath(home);
  const text = await readOptional(path, home);
  if (text === undefined) return undefined;
  const sections = parseIni(text);
  const section = sections.get(profile);
  if (!section) {
    // Keys above every [section] header belong to no profile: the file was found, so say why it gave none.
    if (sections.size === 0 && /^\s*secret_(?:id|key)\s*=/im.test(text)) {
      throw new UsageError('Credentials.Invalid', `${tildify(path, home)} was found but has no [${profile}] section: its keys come before any [section] header`, {
        hint: `put a line "[${profile}]" above secret_id and secret_key`,
      });
    }
    return undefined;
  }
  const shown = `${tildify(path, home)} [${profile}]`;
  const creds = build(section.get('secret_id'), section.get('secret_key'), section.get('token'), shown);
  if (!creds) checkKeyCase([...section.keys()], ['secret_id', 'secret_key'], shown);
  return creds;
}

/** Resolves credentials through the chain; throws a UsageError naming every place looked in. */
export async function loadCredentials(query: CredentialQuery): Promise<Credentials> {
  const creds = await findCredentials(query);
  if (creds) return creds;
  const places = describeSearch(query);
  throw new UsageError('Credentials.Missing', `no credentials found; looked in: ${places.join('; ')}`, {
    hint: query.profileExplicit
      ? `create the profile with "tccli configure --profile ${query.profile}", or choose another with --profile`
      : 'export TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, or run "tccli configure"',
  });
}

/** Like loadCredentials, but undefined when none are configured (dry runs, the wizard's prefill). */
export async function findCredentials(query: CredentialQuery): Promise<Credentials | undefined> {
  if (!query.profileExplicit) {
    const env = fromEnv(query.env);
    if (env) return env;
  }
  return (await fromTccli(query.home, query.profile)) ?? (await fromSdkFile(query.home, query.profile));
}

/** The places the chain reads, in order, for messages. */
export function describeSearch(query: CredentialQuery): string[] {
  const places: string[] = [];
  if (!query.profileExplicit) places.push('env TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY');
  places.push(tildify(tccliCredentialPath(query.home, query.profile), query.home));
  places.push(`${tildify(sdkCredentialPath(query.home), query.home)} [${query.profile}]`);
  return places;
}

/** Every profile name found in the tccli and SDK credential files, sorted (for --all-profiles). */
export async function listProfiles(home: string): Promise<string[]> {
  const names = new Set<string>();
  try {
    for (const entry of readdirSync(join(home, '.tccli'))) {
      const m = /^(.+)\.credential$/.exec(entry);
      if (m && PROFILE_RE.test(m[1] as string)) names.add(m[1] as string);
    }
  } catch {
    // no tccli directory
  }
  const ini = await readOptional(sdkCredentialPath(home), home).catch(() => undefined);
  if (ini !== undefined) for (const name of parseIni(ini).keys()) if (PROFILE_RE.test(name)) names.add(name);
  return [...names].sort();
}

/** The secrets in the environment: the key and the session token. */
export function envSecrets(env: Env): string[] {
  return [env.TENCENTCLOUD_SECRET_KEY, env.TENCENTCLOUD_SESSION_TOKEN, env.TENCENTCLOUD_TOKEN].flatMap((v) => (v?.trim() ? [v.trim()] : []));
}

/**
 * Every secret the credential sources hold, for redaction only (an error may repeat a value typed by mistake
 * before any credentials were read): the environment's, and the keys and tokens of every tccli profile and of
 * every section of the SDK file. What cannot be read or parsed is skipped.
 */
export function knownSecrets(env: Env, home: string): string[] {
  const found = envSecrets(env);
  const add = (value: unknown): void => {
    if (typeof value === 'string' && value.trim() !== '') found.push(value.trim());
  };
  if (!home) return found;
  try {
    for (const entry of readdirSync(join(home, '.tccli'))) {
      if (!entry.endsWith('.credential')) continue;
      try {
        const data = JSON.parse(readFileSync(join(home, '.tccli', entry), 'utf8')) as Record<string, unknown> | null;
        add(data?.secretKey);
        add(data?.token);
      } catch {
        // unreadable or not JSON: nothing to hide from it
      }
    }
  } catch {
    // no tccli directory
  }
  try {
    for (const section of parseIni(readFileSync(sdkCredentialPath(home), 'utf8')).values()) {
      add(section.get('secret_key'));
      add(section.get('token'));
    }
  } catch {
    // no SDK credentials file
  }
  return found;
}

