/**
 * The credential files users already have (docs/credentials.md): tccli's ~/.tccli/<profile>.credential (JSON) and
 * the SDKs' ~/.tencentcloud/credentials (INI), plus the checks every key goes through.
 */
// Synchronous reads of a few small files: node:fs/promises (and the readline module it loads) would cost every
// start-up more than the reads themselves (docs/performance.md).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tildify, type Env } from '../env.js';
import { UsageError } from '../errors.js';
import { checkFileSafety, currentUid } from '../file-safety.js';
import type { Credentials } from './types.js';

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

/** Why a file could not be read, in words. */
export function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'it does not exist';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? 'error';
}

/** Credential files larger than this are refused unread: a key pair is a few hundred bytes. */
const MAX_CREDENTIAL_BYTES = 1024 * 1024;

/**
 * The file's text, or undefined when it does not exist. It must be a regular file of sane size that nobody but
 * its owner can change (src/core/file-safety.ts); one owned by another user is read with a warning.
 */
export function readOptional(path: string, home: string, warn?: (line: string) => void): string | undefined {
  try {
    const safety = checkFileSafety({ path, shown: tildify(path, home), kind: 'Credentials', maxBytes: MAX_CREDENTIAL_BYTES, uid: currentUid() });
    if (!safety.exists) return undefined;
    if (safety.warning) warn?.(safety.warning);
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new UsageError('Credentials.Unreadable', `cannot read the credential file ${tildify(path, home)}: ${readFailure(error)}`, {
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
export function cleanKey(value: string, what: string, source: string): string {
  const trimmed = value.trim();
  if (/[\s\u0000-\u001f\u007f]/.test(trimmed) || !/^[\x21-\x7e]+$/.test(trimmed)) {
    throw new UsageError('Credentials.Invalid', `the ${what} from ${source} contains spaces or characters a key never has`, {
      hint: 'copy the key again from the CAM console (API keys page)',
    });
  }
  return trimmed;
}

/** A checked key pair (and token), or undefined when neither half is set. */
export function buildKeys(secretId: string | undefined, secretKey: string | undefined, token: string | undefined, source: string): Credentials | undefined {
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

/** Every profile name found in the tccli and SDK credential files, sorted (for --all-profiles). */
/**
 * A file that was found but gave no keys: when it holds them spelled in another case (`SecretId`), says so
 * rather than "no credentials found" (keys are case-sensitive).
 */
export function checkKeyCase(keys: readonly string[], wanted: readonly string[], shown: string): void {
  const near = keys.filter((k) => !wanted.includes(k) && wanted.some((w) => w.toLowerCase() === k.toLowerCase()));
  if (near.length === 0) return;
  throw new UsageError('Credentials.Invalid', `${shown} was found but has no ${wanted.map((w) => `"${w}"`).join(' or ')}: keys are case-sensitive, and it has ${near.map((k) => `"${k}"`).join(', ')}`, {
    hint: `rename them to ${wanted.map((w) => `"${w}"`).join(' and ')}, or run "tccli configure" again`,
  });
}

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
  let ini: string | undefined;
  try {
    ini = readOptional(sdkCredentialPath(home), home);
  } catch {
    ini = undefined;
  }
  if (ini !== undefined) for (const name of parseIni(ini).keys()) if (PROFILE_RE.test(name)) names.add(name);
  return [...names].sort();
}

/** The token variables, first wins: the Node SDK's, tccli's, then the Terraform provider's (and Pulumi's). */
export const TOKEN_VARIABLES = ['TENCENTCLOUD_SESSION_TOKEN', 'TENCENTCLOUD_TOKEN', 'TENCENTCLOUD_SECURITY_TOKEN'] as const;

/** The secrets in the environment: the key and the session tokens. */
export function envSecrets(env: Env): string[] {
  return [env.TENCENTCLOUD_SECRET_KEY, ...TOKEN_VARIABLES.map((name) => env[name]), env.ACTIONS_ID_TOKEN_REQUEST_TOKEN].flatMap((v) => (v?.trim() ? [v.trim()] : []));
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
        // A byte-order mark from an editor is not part of the JSON (as the tccli provider reads it).
        const data = JSON.parse(readFileSync(join(home, '.tccli', entry), 'utf8').replace(/^\uFEFF/, '')) as Record<string, unknown> | null;
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
