/**
 * The environment's credentials (docs/credentials.md): the key pair and a token variable, tccli's role variables,
 * and TKE's OIDC variables.
 */
import type { Env } from '../env.js';
import { buildKeys, TOKEN_VARIABLES } from './files.js';
import { staticSource, type CredentialSource } from './source.js';
import { checkRoleArn, checkSessionName, defaultSessionName, type RoleSpec } from './sts-role-provider.js';
import type { WebIdentitySpec } from './web-identity-provider.js';

export const ENV_KEYS_SOURCE = 'the environment (TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY)';
export const TKE_VARIABLES = ['TKE_REGION', 'TKE_PROVIDER_ID', 'TKE_WEB_IDENTITY_TOKEN_FILE', 'TKE_ROLE_ARN'] as const;

/** The first token variable that is set. */
function envToken(env: Env): string | undefined {
  for (const name of TOKEN_VARIABLES) if (env[name]?.trim()) return env[name];
  return undefined;
}

export function envKeysSource(env: Env): CredentialSource | undefined {
  const creds = buildKeys(env.TENCENTCLOUD_SECRET_ID, env.TENCENTCLOUD_SECRET_KEY, envToken(env), ENV_KEYS_SOURCE);
  return creds ? staticSource('env', creds) : undefined;
}

/** tccli's TENCENTCLOUD_ROLE_ARN (+ TENCENTCLOUD_ROLE_SESSION_NAME). */
export function envRole(env: Env, now: number, durationSeconds: number, sessionFlag: string | undefined): RoleSpec | undefined {
  const arn = env.TENCENTCLOUD_ROLE_ARN?.trim();
  if (!arn) return undefined;
  const session = sessionFlag ?? (env.TENCENTCLOUD_ROLE_SESSION_NAME?.trim() ? checkSessionName(env.TENCENTCLOUD_ROLE_SESSION_NAME, 'TENCENTCLOUD_ROLE_SESSION_NAME') : defaultSessionName(now));
  return { roleArn: checkRoleArn(arn, 'TENCENTCLOUD_ROLE_ARN'), sessionName: session, durationSeconds, from: 'TENCENTCLOUD_ROLE_ARN' };
}

/** TKE's OIDC variables, when all four are set (a pod of a cluster with OIDC enabled). */
export function tkeWebIdentity(env: Env, now: number, durationSeconds: number, sessionFlag: string | undefined): WebIdentitySpec | undefined {
  if (!TKE_VARIABLES.every((name) => env[name]?.trim())) return undefined;
  const region = (env.TKE_REGION as string).trim();
  return {
    providerId: (env.TKE_PROVIDER_ID as string).trim(),
    role: { roleArn: checkRoleArn(env.TKE_ROLE_ARN as string, 'TKE_ROLE_ARN'), sessionName: sessionFlag ?? defaultSessionName(now), durationSeconds, from: 'TKE_ROLE_ARN' },
    token: { kind: 'file', path: (env.TKE_WEB_IDENTITY_TOKEN_FILE as string).trim(), from: 'TKE_WEB_IDENTITY_TOKEN_FILE' },
    region,
    via: 'TKE_* variables',
  };
}
