/**
 * The SDKs' INI file ~/.tencentcloud/credentials, section = profile (docs/credentials.md): `secret_id`,
 * `secret_key`, `token`, and a role to assume with them (`role_arn`, `role_session_name`).
 */
import { tildify } from '../env.js';
import { buildKeys, parseIni, readOptional, sdkCredentialPath } from './files.js';
import type { ProfileEntry } from './tccli-provider.js';

export function readSdkProfile(home: string, profile: string): ProfileEntry | undefined {
  const path = sdkCredentialPath(home);
  const text = readOptional(path, home);
  if (text === undefined) return undefined;
  const section = parseIni(text).get(profile);
  if (!section) return undefined;
  const shown = `${tildify(path, home)} [${profile}]`;
  const entry: ProfileEntry = { shown };
  const keys = buildKeys(section.get('secret_id'), section.get('secret_key'), section.get('token'), shown);
  if (keys) entry.keys = keys;
  const roleArn = section.get('role_arn')?.trim();
  if (roleArn) entry.roleArn = roleArn;
  const session = section.get('role_session_name')?.trim();
  if (session) entry.roleSessionName = session;
  return entry.keys || entry.roleArn ? entry : undefined;
}
