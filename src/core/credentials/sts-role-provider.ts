/**
 * STS AssumeRole from a base credential (docs/credentials.md): the base is whatever the chain would otherwise use;
 * the answer is temporary keys in the role's account. Also the parts every STS-based provider shares: the role
 * ARN and session-name checks and the reading of the `Credentials` answer.
 */
import { ApiError, NetworkError, UsageError } from '../errors.js';
import { printable } from '../printable.js';
import type { CredentialSource } from './source.js';
import type { CredentialDeps, Credentials, StsAction } from './types.js';

export const DEFAULT_ROLE_DURATION_SECONDS = 3600;
export const MAX_ROLE_DURATION_SECONDS = 43200;
const ROLE_ARN_RE = /^qcs::cam::uin\/(\d{1,20}):role(?:Name)?\/[\w+=,.@/-]{1,128}$/;
const SESSION_RE = /^[\w+=,.@-]{2,128}$/;

export interface RoleSpec {
  roleArn: string;
  sessionName: string;
  durationSeconds: number;
  /** Where the ARN came from, for messages: `--role-arn`, `TENCENTCLOUD_ROLE_ARN`, a file. */
  from: string;
}

/** Checks a role ARN (`qcs::cam::uin/12345678:roleName/NAME`). */
export function checkRoleArn(value: string, where: string): string {
  const arn = value.trim();
  if (!ROLE_ARN_RE.test(arn)) {
    throw new UsageError('Usage.InvalidValue', `${where} ${JSON.stringify(printable(arn, 160))} is not a role ARN`, {
      hint: 'use the form qcs::cam::uin/ACCOUNT_UIN:roleName/ROLE_NAME (CAM console, the role\'s page)',
    });
  }
  return arn;
}

/** The account (UIN) that owns a role, from its ARN. */
export function roleAccount(roleArn: string): string | undefined {
  return /^qcs::cam::uin\/(\d+):/.exec(roleArn)?.[1];
}

export function checkSessionName(value: string, where: string): string {
  const name = value.trim();
  if (!SESSION_RE.test(name)) {
    throw new UsageError('Usage.InvalidValue', `${where} ${JSON.stringify(printable(name, 140))} is not a valid role session name: use 2 to 128 letters, digits or + = , . @ _ -`);
  }
  return name;
}

/** A session name unique enough per run: `tcss-` and the Unix time. */
export function defaultSessionName(now: number): string {
  return `tcss-${Math.floor(now / 1000)}`;
}

export function parseDuration(value: string | undefined, where: string): number {
  if (value === undefined) return DEFAULT_ROLE_DURATION_SECONDS;
  const text = value.trim();
  const n = /^\d{1,6}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= MAX_ROLE_DURATION_SECONDS)) {
    throw new UsageError('Usage.InvalidValue', `${where} ${JSON.stringify(text.slice(0, 20))} is not valid: use a whole number of seconds from 1 to ${MAX_ROLE_DURATION_SECONDS}`);
  }
  return n;
}

/** Reads `Credentials`/`ExpiredTime` from an STS answer; a NetworkError when the answer lacks them. */
export function readStsCredentials(response: Record<string, unknown>, action: StsAction, source: string, roleArn: string | undefined, deps: CredentialDeps): Credentials {
  const c = response.Credentials as Record<string, unknown> | undefined | null;
  const id = c?.TmpSecretId;
  const key = c?.TmpSecretKey;
  const token = c?.Token;
  if (typeof id !== 'string' || typeof key !== 'string' || typeof token !== 'string' || id === '' || key === '' || token === '') {
    throw new NetworkError('Network.BadResponse', `the STS answer to ${action} has no complete Credentials; it is not the API's`);
  }
  // Registered before anything else can print them.
  deps.onSecret?.(key);
  deps.onSecret?.(token);
  if (!/^[\x21-\x7e]+$/.test(id + key + token)) {
    throw new NetworkError('Network.BadResponse', `the STS answer to ${action} holds keys with characters a key never has`);
  }
  const creds: Credentials = { secretId: id, secretKey: key, token, source };
  const expired = response.ExpiredTime;
  if (typeof expired === 'number' && Number.isFinite(expired)) creds.expiresAt = expired * 1000;
  else if (typeof response.Expiration === 'string' && Number.isFinite(Date.parse(response.Expiration))) creds.expiresAt = Date.parse(response.Expiration);
  if (roleArn) creds.roleArn = roleArn;
  return creds;
}

/** A refusal from STS, said as what it means for the user. */
export function roleRefused(error: unknown, action: StsAction, role: RoleSpec): unknown {
  if (!(error instanceof ApiError)) return error;
  const what = action === 'AssumeRole' ? 'assumed' : 'assumed with the web identity token';
  const hint = /^AuthFailure\./.test(error.code)
    ? action === 'AssumeRole'
      ? 'STS refused the base credential itself: check the key that signs AssumeRole (tcss whoami without --role-arn shows it)'
      : 'check the token is current and issued for this identity provider'
    : action === 'AssumeRole'
      ? `check the role's trust policy allows the base credential's account, and that the base key may call sts:AssumeRole`
      : `check the role's trust policy names the identity provider and allows this token's subject and audience`;
  return new ApiError(error.code, `the role ${role.roleArn} (from ${role.from}) cannot be ${what}: STS answered ${error.code}${error.message ? `: ${error.message}` : ''}`, error.requestId, {
    hint,
    cause: error,
    action,
  });
}

export function needSts(deps: CredentialDeps): NonNullable<CredentialDeps['sts']> {
  if (!deps.sts) throw new Error('no STS client was given to the credential chain');
  return deps.sts;
}

/** AssumeRole signed with the base source's keys. */
export function assumeRoleSource(base: CredentialSource, role: RoleSpec): CredentialSource {
  const describe = `STS AssumeRole ${role.roleArn} (from ${role.from}; base: ${base.describe})`;
  return {
    describe,
    provider: 'sts-role',
    resolve: async (deps) => {
      const baseCreds = await base.resolve(deps);
      const key = `AssumeRole|${role.roleArn}|${role.sessionName}|${role.durationSeconds}|${baseCreds.secretId}`;
      return deps.cache.get(key, deps.now, async () => {
        deps.debug?.(`credentials: STS AssumeRole ${role.roleArn} as session ${role.sessionName} for ${role.durationSeconds}s, signed with ${baseCreds.source} (SecretId ${baseCreds.secretId})`);
        let response: Record<string, unknown>;
        try {
          response = await needSts(deps)({
            action: 'AssumeRole',
            body: { RoleArn: role.roleArn, RoleSessionName: role.sessionName, DurationSeconds: role.durationSeconds },
            credentials: baseCreds,
          });
        } catch (error) {
          throw roleRefused(error, 'AssumeRole', role);
        }
        const creds = readStsCredentials(response, 'AssumeRole', describe, role.roleArn, deps);
        deps.debug?.(`credentials: role keys SecretId ${creds.secretId}${creds.expiresAt ? `, expire ${new Date(creds.expiresAt).toISOString()}` : ''}`);
        return creds;
      });
    },
  };
}
