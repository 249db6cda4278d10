/**
 * tccli's profile file ~/.tccli/<profile>.credential (docs/credentials.md): keys (and a token), a role to assume
 * with them (`role-arn`, `role-session-name`), or `"type": "cvm-role"` for the instance role.
 */
import { tildify } from '../env.js';
import { UsageError } from '../errors.js';
import { buildKeys, checkKeyCase, readOptional, tccliCredentialPath } from './files.js';
import type { Credentials } from './types.js';

export interface ProfileEntry {
  /** As shown in messages, e.g. `~/.tccli/prod.credential`. */
  shown: string;
  keys?: Credentials;
  roleArn?: string;
  roleSessionName?: string;
  cvmRole?: boolean;
}

const STRING_KEYS = ['secretId', 'secretKey', 'token', 'type', 'role-arn', 'role-session-name'];

export function readTccliProfile(home: string, profile: string, warn?: (line: string) => void): ProfileEntry | undefined {
  const path = tccliCredentialPath(home, profile);
  const text = readOptional(path, home, warn);
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
  for (const key of STRING_KEYS) {
    if (record[key] !== undefined && record[key] !== null && typeof record[key] !== 'string') {
      throw new UsageError('Credentials.Invalid', `"${key}" in ${shown} must be a string`, { hint: 'run "tccli configure" again, or fix the file' });
    }
  }
  const str = (k: string): string | undefined => (typeof record[k] === 'string' && (record[k] as string).trim() !== '' ? (record[k] as string).trim() : undefined);
  const type = str('type');
  if (type === 'cvm-role') return { shown, cvmRole: true };
  if (type && type !== 'secret' && type !== 'default' && !str('secretKey')) {
    throw new UsageError('Credentials.Unsupported', `${shown} uses credential type ${JSON.stringify(type)}, which tcss does not support`, {
      hint: 'use a SecretId/SecretKey pair, temporary keys with a token, "role-arn", or "type": "cvm-role"',
    });
  }
  const entry: ProfileEntry = { shown };
  const keys = buildKeys(str('secretId'), str('secretKey'), str('token'), shown);
  if (keys) entry.keys = keys;
  else checkKeyCase(Object.keys(record), ['secretId', 'secretKey'], shown);
  const roleArn = str('role-arn');
  if (roleArn) entry.roleArn = roleArn;
  const session = str('role-session-name');
  if (session) entry.roleSessionName = session;
  return entry.keys || entry.roleArn ? entry : undefined;
}
