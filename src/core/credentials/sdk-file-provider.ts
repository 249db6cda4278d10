/**
 * The SDKs' INI file ~/.tencentcloud/credentials, section = profile (docs/credentials.md): `secret_id`,
 * `secret_key`, `token`, and a role to assume with them (`role_arn`, `role_session_name`).
 */
import { tildify } from '../env.js';
import { UsageError } from '../errors.js';
import { buildKeys, checkKeyCase, parseIni, readOptional, sdkCredentialPath } from './files.js';
import type { ProfileEntry } from './tccli-provider.js';

export function readSdkProfile(home: string, profile: string, warn?: (line: string) => void): ProfileEntry | undefined {
  const path = sdkCredentialPath(home);
  const text = readOptional(path, home, warn);
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
  const entry: ProfileEntry = { shown };
  const keys = buildKeys(section.get('secret_id'), section.get('secret_key'), section.get('token'), shown);
  if (keys) entry.keys = keys;
  else checkKeyCase([...section.keys()], ['secret_id', 'secret_key'], shown);
  const roleArn = section.get('role_arn')?.trim();
  if (roleArn) entry.roleArn = roleArn;
  const session = section.get('role_session_name')?.trim();
  if (session) entry.roleSessionName = session;
  return entry.keys || entry.roleArn ? entry : undefined;
}
