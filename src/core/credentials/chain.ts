/**
 * The credential chain (docs/credentials.md#sources-in-order): one provider per source, tried in one order,
 * first found wins. Returns values, never prints. There is deliberately no way to pass a secret on the command
 * line: it would land in shell history and process lists.
 *
 * Order:
 *   1. --oidc-provider-id with --role-arn: AssumeRoleWithWebIdentity, the token from --web-identity-token-file or
 *      GitHub Actions;
 *   then a base credential, the first of:
 *   2. --use-cvm-role: the CVM instance role (the metadata service is asked only then, or for 5's cvm-role type);
 *   3. env TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY (+ TENCENTCLOUD_SESSION_TOKEN, TENCENTCLOUD_TOKEN or
 *      TENCENTCLOUD_SECURITY_TOKEN) — skipped, as 6 and 7 are, when a profile was chosen explicitly;
 *   4. tccli's ~/.tccli/<profile>.credential: keys, keys + role-arn (AssumeRole with them), role-arn alone
 *      (AssumeRole with the env keys), or "type": "cvm-role";
 *   5. the SDK's ~/.tencentcloud/credentials [profile]: keys, or keys + role_arn;
 *   6. TKE_REGION + TKE_PROVIDER_ID + TKE_WEB_IDENTITY_TOKEN_FILE + TKE_ROLE_ARN: AssumeRoleWithWebIdentity;
 *   and on top of the base, when asked:
 *   7. --role-arn, else env TENCENTCLOUD_ROLE_ARN: AssumeRole signed with the base credential.
 */
import { tildify } from '../env.js';
import { UsageError } from '../errors.js';
import { cvmRoleSource, metadataEndpoint } from './cvm-role-provider.js';
import { envKeysSource, envRole, tkeWebIdentity } from './env-provider.js';
import { sdkCredentialPath, tccliCredentialPath } from './files.js';
import { readSdkProfile } from './sdk-file-provider.js';
import { CredentialCache, staticSource, type CredentialSource } from './source.js';
import { assumeRoleSource, checkRoleArn, checkSessionName, defaultSessionName, parseDuration, type RoleSpec } from './sts-role-provider.js';
import { readTccliProfile, type ProfileEntry } from './tccli-provider.js';
import type { CredentialDeps, CredentialQuery, Credentials } from './types.js';
import { githubTokenSource, webIdentitySource } from './web-identity-provider.js';

export { checkProfileName, envSecrets, knownSecrets, listProfiles, parseIni, sdkCredentialPath, tccliCredentialPath } from './files.js';
export type { CredentialQuery, Credentials } from './types.js';

/** The chain as a table (docs/credentials.md): the order the providers are tried in and what each reads. */
export const CHAIN_ORDER = [
  { provider: 'web-identity', reads: '--oidc-provider-id + --role-arn, token from --web-identity-token-file or GitHub Actions (ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN)' },
  { provider: 'cvm-role', reads: '--use-cvm-role' },
  { provider: 'env', reads: 'TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY, TENCENTCLOUD_SESSION_TOKEN | TENCENTCLOUD_TOKEN | TENCENTCLOUD_SECURITY_TOKEN' },
  { provider: 'tccli', reads: '~/.tccli/<profile>.credential: secretId, secretKey, token, role-arn, role-session-name, type' },
  { provider: 'sdk-file', reads: '~/.tencentcloud/credentials [profile]: secret_id, secret_key, token, role_arn, role_session_name' },
  { provider: 'web-identity', reads: 'TKE_REGION, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE, TKE_ROLE_ARN (all four)' },
  { provider: 'sts-role', reads: '--role-arn, else TENCENTCLOUD_ROLE_ARN (+ --role-session-name | TENCENTCLOUD_ROLE_SESSION_NAME, --role-duration), on top of the base above' },
] as const;

export interface CredentialPlan {
  source: CredentialSource | undefined;
  /** One line per provider looked at, in order, for --debug. */
  trace: string[];
}

function profileSource(entry: ProfileEntry, provider: 'tccli' | 'sdk-file', query: CredentialQuery, now: number, duration: number, sessionFlag: string | undefined, trace: string[]): CredentialSource {
  if (entry.cvmRole) {
    trace.push(`${entry.shown}: type cvm-role`);
    return cvmRoleSource(metadataEndpoint(query.env.TCSS_METADATA_ENDPOINT), `"type": "cvm-role" in ${entry.shown}`);
  }
  if (!entry.roleArn) {
    trace.push(`${entry.shown}: keys`);
    return staticSource(provider, entry.keys as Credentials);
  }
  const key = provider === 'tccli' ? 'role-arn' : 'role_arn';
  const role: RoleSpec = {
    roleArn: checkRoleArn(entry.roleArn, `"${key}" in ${entry.shown}`),
    sessionName: sessionFlag ?? (entry.roleSessionName ? checkSessionName(entry.roleSessionName, `"${provider === 'tccli' ? 'role-session-name' : 'role_session_name'}" in ${entry.shown}`) : defaultSessionName(now)),
    durationSeconds: duration,
    from: `"${key}" in ${entry.shown}`,
  };
  let base: CredentialSource | undefined = entry.keys ? staticSource(provider, entry.keys) : undefined;
  if (!base) {
    base = envKeysSource(query.env);
    if (!base) {
      throw new UsageError('Credentials.Missing', `${entry.shown} has a role ARN but no keys to assume it with, and TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY are not set`, {
        hint: 'add secretId and secretKey to the profile, or export the base key as TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY',
      });
    }
  }
  trace.push(`${entry.shown}: ${key} ${role.roleArn} with ${base.describe}`);
  return assumeRoleSource(base, role);
}

/**
 * Decides which provider answers, without any network call (files and variables only): what --debug shows and
 * the chain table test checks. Throws a UsageError for a bad flag, variable or file.
 */
export function planCredentials(query: CredentialQuery, now: number): CredentialPlan {
  const flags = query.flags ?? {};
  const trace: string[] = [];
  const duration = parseDuration(flags.roleDuration, '--role-duration');
  const sessionFlag = flags.roleSessionName === undefined ? undefined : checkSessionName(flags.roleSessionName, '--role-session-name');
  const roleFlag = flags.roleArn === undefined ? undefined : checkRoleArn(flags.roleArn, '--role-arn');
  if (flags.oidcProviderId === undefined && (flags.webIdentityTokenFile !== undefined || flags.oidcAudience !== undefined)) {
    throw new UsageError('Usage.MissingOption', `${flags.webIdentityTokenFile !== undefined ? '--web-identity-token-file' : '--oidc-audience'} needs --oidc-provider-id (and --role-arn)`);
  }

  // 1. OIDC web identity from the flags.
  if (flags.oidcProviderId !== undefined) {
    const providerId = flags.oidcProviderId.trim();
    if (!/^[\w+=,.@-]{1,128}$/.test(providerId)) throw new UsageError('Usage.InvalidValue', `--oidc-provider-id ${JSON.stringify(providerId.slice(0, 80))} is not an identity provider name`);
    if (!roleFlag) throw new UsageError('Usage.MissingOption', '--oidc-provider-id needs --role-arn: the role to assume with the identity token');
    if (flags.useCvmRole) throw new UsageError('Usage.Conflict', '--oidc-provider-id and --use-cvm-role cannot be used together');
    const webFile = flags.webIdentityTokenFile?.trim();
    if (webFile === '') throw new UsageError('Usage.InvalidValue', '--web-identity-token-file needs a file path');
    const token = webFile ? { kind: 'file' as const, path: webFile, from: '--web-identity-token-file' } : githubTokenSource(query.env, flags.oidcAudience?.trim() || undefined);
    const role: RoleSpec = { roleArn: roleFlag, sessionName: sessionFlag ?? defaultSessionName(now), durationSeconds: duration, from: '--role-arn' };
    trace.push(`--oidc-provider-id: ${providerId} (${token.kind === 'file' ? 'token file' : 'GitHub Actions token'})`);
    return { source: webIdentitySource({ providerId, role, token, via: '--oidc-provider-id' }, query.home), trace };
  }
  trace.push('--oidc-provider-id: not given');

  // 2–6. The base credential.
  let base: CredentialSource | undefined;
  if (flags.useCvmRole) {
    trace.push('--use-cvm-role: given');
    base = cvmRoleSource(metadataEndpoint(query.env.TCSS_METADATA_ENDPOINT), '--use-cvm-role');
  } else trace.push('--use-cvm-role: not given');

  if (!base) {
    if (query.profileExplicit) trace.push('env keys: skipped (a profile was chosen)');
    else {
      base = envKeysSource(query.env);
      trace.push(`env keys: ${base ? 'found' : 'not set'}`);
    }
  }
  if (!base) {
    const entry = readTccliProfile(query.home, query.profile, query.warn);
    if (entry) base = profileSource(entry, 'tccli', query, now, duration, sessionFlag, trace);
    else trace.push(`${tildify(tccliCredentialPath(query.home, query.profile), query.home)}: none`);
  }
  if (!base) {
    const entry = readSdkProfile(query.home, query.profile, query.warn);
    if (entry) base = profileSource(entry, 'sdk-file', query, now, duration, sessionFlag, trace);
    else trace.push(`${tildify(sdkCredentialPath(query.home), query.home)} [${query.profile}]: none`);
  }
  if (!base) {
    if (query.profileExplicit) trace.push('TKE_* variables: skipped (a profile was chosen)');
    else {
      const tke = tkeWebIdentity(query.env, now, duration, sessionFlag);
      trace.push(`TKE_* variables: ${tke ? 'all four set' : 'not all set'}`);
      if (tke) base = webIdentitySource(tke, query.home);
    }
  }

  // 7. A role on top of the base.
  const role: RoleSpec | undefined = roleFlag
    ? { roleArn: roleFlag, sessionName: sessionFlag ?? defaultSessionName(now), durationSeconds: duration, from: '--role-arn' }
    : query.profileExplicit
      ? undefined
      : envRole(query.env, now, duration, sessionFlag);
  trace.push(`role: ${role ? `${role.roleArn} (from ${role.from})` : 'none'}`);
  if (role && !base) {
    throw new UsageError('Credentials.Missing', `${role.from} names a role, but there is no base credential to assume it with; looked in: ${describeSearch(query).join('; ')}`, {
      hint: 'export TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (the key that may assume the role), or use --use-cvm-role on a CVM',
    });
  }
  const source = role && base ? assumeRoleSource(base, role) : base;
  // A session name or duration with no role to assume would do nothing: refused, not ignored.
  if (source && source.provider !== 'sts-role' && source.provider !== 'web-identity') {
    const given = flags.roleSessionName !== undefined ? '--role-session-name' : flags.roleDuration !== undefined ? '--role-duration' : undefined;
    if (given) {
      throw new UsageError('Usage.MissingOption', `${given} applies to a role, and no role is being assumed (credentials from ${source.describe})`, {
        hint: 'add --role-arn ARN (or TENCENTCLOUD_ROLE_ARN, or role-arn in the profile), or drop the option',
      });
    }
  }
  return { source, trace };
}

function defaultDeps(): CredentialDeps {
  return { now: () => Date.now(), cache: new CredentialCache() };
}

/** Like loadCredentials, but undefined when none are configured (dry runs, the wizard's prefill). */
export async function findCredentials(query: CredentialQuery, deps: CredentialDeps = defaultDeps()): Promise<Credentials | undefined> {
  const plan = planCredentials(query, deps.now());
  if (deps.debug) deps.debug(`credential chain: ${plan.trace.join('; ')}`);
  return plan.source?.resolve(deps);
}

/** Resolves credentials through the chain; throws a UsageError naming every place looked in. */
export async function loadCredentials(query: CredentialQuery, deps?: CredentialDeps): Promise<Credentials> {
  const creds = await findCredentials(query, deps);
  if (creds) return creds;
  throw missingCredentials(query);
}

/** The error for a chain that found nothing: every place looked in, and what to do. */
export function missingCredentials(query: CredentialQuery): UsageError {
  const places = describeSearch(query);
  return new UsageError('Credentials.Missing', `no credentials found; looked in: ${places.join('; ')}`, {
    hint: query.profileExplicit
      ? `create the profile with "tccli configure --profile ${query.profile}", or choose another with --profile`
      : 'export TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, or run "tccli configure"',
  });
}

/** The places the chain reads, in order, for messages. */
export function describeSearch(query: CredentialQuery): string[] {
  const places: string[] = [];
  if (!query.profileExplicit) places.push('env TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY');
  places.push(tildify(tccliCredentialPath(query.home, query.profile), query.home));
  places.push(`${tildify(sdkCredentialPath(query.home), query.home)} [${query.profile}]`);
  return places;
}
