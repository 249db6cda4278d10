/**
 * OIDC web identity (docs/credentials.md): an identity token (a JWT) from a file (TKE, GitLab and others) or from
 * GitHub Actions' token service, exchanged with STS AssumeRoleWithWebIdentity, which is sent unsigned. The token is
 * read afresh at each exchange (TKE rotates the file) and never printed; its claims may be.
 */
import { readFileSync } from 'node:fs';
import { tildify, type Env } from '../env.js';
import { NetworkError, UsageError } from '../errors.js';
import { checkFileSafety } from '../file-safety.js';
import { printable } from '../printable.js';
import { readFailure } from './files.js';
import type { CredentialSource } from './source.js';
import { readStsCredentials, roleRefused, needSts, type RoleSpec } from './sts-role-provider.js';
import type { CredentialDeps } from './types.js';

/** The audience GitHub's token is asked for, unless --oidc-audience: the one Tencent Cloud's STS expects. */
export const DEFAULT_OIDC_AUDIENCE = 'sts.tencentcloudapi.com';
const MAX_TOKEN_BYTES = 64 * 1024;

export type TokenSource =
  | { kind: 'file'; path: string; from: string }
  | { kind: 'github'; requestUrl: string; requestToken: string; audience: string };

export interface WebIdentitySpec {
  providerId: string;
  role: RoleSpec;
  token: TokenSource;
  /** X-TC-Region of the exchange (TKE_REGION). */
  region?: string;
  /** For messages: `TKE_*` or `--oidc-provider-id`. */
  via: string;
}

function describeToken(token: TokenSource, home: string): string {
  return token.kind === 'file' ? `token file ${tildify(token.path, home)} (${token.from})` : 'GitHub Actions ID token';
}

/** The claims of a JWT worth showing (never the token itself); undefined when it is not a JWT. */
export function jwtClaims(jwt: string): Record<string, unknown> | undefined {
  const part = jwt.split('.')[1];
  if (part === undefined) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) return undefined;
    const shown: Record<string, unknown> = {};
    for (const name of ['iss', 'sub', 'aud', 'exp', 'repository', 'ref', 'environment']) {
      const value = (claims as Record<string, unknown>)[name];
      if (typeof value === 'string') shown[name] = printable(value, 200);
      else if (typeof value === 'number' || (Array.isArray(value) && value.every((v) => typeof v === 'string'))) shown[name] = value;
    }
    return shown;
  } catch {
    return undefined;
  }
}

function readTokenFile(path: string, from: string, home: string): string {
  const shown = tildify(path, home);
  // A regular file of bounded size: a token path naming /dev/zero or a pipe is refused, never read. Its mode is
  // not checked: token files are written by the platform (a pod's projected volume, the CI runner).
  try {
    checkFileSafety({ path, shown, kind: 'Credentials', maxBytes: MAX_TOKEN_BYTES + 1024 });
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError('Credentials.TokenFile', `the web identity token file ${error.message} (${from})`, { cause: error });
    // Any other failure (no such file, no permission) is reported by the read below.
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError('Credentials.TokenFile', `cannot read the web identity token file ${shown} (${from}): ${readFailure(error)}`, {
      cause: error,
      hint: from.startsWith('TKE_') ? 'check that the pod mounts the service account token (TKE OIDC) and that TKE_WEB_IDENTITY_TOKEN_FILE names it' : 'check the path given to --web-identity-token-file',
    });
  }
  const token = text.trim();
  if (token === '' || token.length > MAX_TOKEN_BYTES || !/^[\x21-\x7e]+$/.test(token)) {
    throw new UsageError('Credentials.TokenFile', `the web identity token file ${shown} (${from}) ${token === '' ? 'is empty' : 'does not hold a token'}`, {
      hint: 'the file must hold the identity token (a JWT) alone',
    });
  }
  return token;
}

/** GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=… with the runner's bearer token → `{"value": JWT}`. */
async function githubToken(token: Extract<TokenSource, { kind: 'github' }>, deps: CredentialDeps): Promise<string> {
  if (!deps.httpGet) throw new Error('no HTTP client was given to the credential chain');
  const url = `${token.requestUrl}${token.requestUrl.includes('?') ? '&' : '?'}audience=${encodeURIComponent(token.audience)}`;
  deps.debug?.(`credentials: asking GitHub Actions for an ID token with audience ${token.audience}`);
  const answer = await deps.httpGet(url, { headers: { Authorization: `bearer ${token.requestToken}`, Accept: 'application/json' }, purpose: 'oidc' });
  if (answer.status !== 200) {
    throw new UsageError('Credentials.OidcToken', `GitHub Actions refused the ID token request (HTTP ${answer.status})`, {
      hint: 'give the job "permissions: id-token: write" and check the runner is GitHub\'s',
    });
  }
  let value: unknown;
  try {
    value = (JSON.parse(answer.body) as { value?: unknown } | null)?.value;
  } catch {
    value = undefined;
  }
  if (typeof value !== 'string' || value === '' || !/^[\x21-\x7e]+$/.test(value)) {
    throw new NetworkError('Network.BadResponse', 'the GitHub Actions token service answered without a token ("value")');
  }
  deps.onSecret?.(value);
  return value;
}

/** The GitHub Actions token source, or a one-line error saying what the job lacks. */
export function githubTokenSource(env: Env, audience: string | undefined): TokenSource {
  const requestUrl = env.ACTIONS_ID_TOKEN_REQUEST_URL?.trim();
  const requestToken = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN?.trim();
  if (!requestUrl || !requestToken) {
    const inActions = env.GITHUB_ACTIONS === 'true';
    throw new UsageError(
      'Credentials.OidcToken',
      inActions
        ? '--oidc-provider-id needs a GitHub OIDC token, but ACTIONS_ID_TOKEN_REQUEST_URL is not set: the job lacks the id-token permission'
        : '--oidc-provider-id needs an identity token: none in a file (--web-identity-token-file) and not in GitHub Actions (no ACTIONS_ID_TOKEN_REQUEST_URL)',
      {
        hint: inActions ? 'add "permissions: id-token: write" to the job (or the workflow)' : 'pass --web-identity-token-file FILE, or run in a GitHub Actions job with "permissions: id-token: write"',
      },
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(requestUrl);
  } catch {
    throw new UsageError('Usage.InvalidValue', 'ACTIONS_ID_TOKEN_REQUEST_URL is not a URL');
  }
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(parsed.hostname))) {
    throw new UsageError('Usage.InvalidValue', 'ACTIONS_ID_TOKEN_REQUEST_URL must use https:// (or http:// to this machine)');
  }
  return { kind: 'github', requestUrl, requestToken, audience: audience ?? DEFAULT_OIDC_AUDIENCE };
}

export function webIdentitySource(spec: WebIdentitySpec, home: string): CredentialSource {
  const describe = `STS AssumeRoleWithWebIdentity ${spec.role.roleArn} (${spec.via}; provider ${spec.providerId}, ${describeToken(spec.token, home)})`;
  return {
    describe,
    provider: 'web-identity',
    resolve: async (deps) => {
      const key = `WebIdentity|${spec.providerId}|${spec.role.roleArn}|${spec.role.sessionName}|${spec.role.durationSeconds}`;
      return deps.cache.get(key, deps.now, async () => {
        const jwt = spec.token.kind === 'file' ? readTokenFile(spec.token.path, spec.token.from, home) : await githubToken(spec.token, deps);
        deps.onSecret?.(jwt);
        const claims = jwtClaims(jwt);
        deps.debug?.(`credentials: STS AssumeRoleWithWebIdentity ${spec.role.roleArn} with provider ${spec.providerId}, token claims ${claims ? JSON.stringify(claims) : '(not a JWT)'}`);
        let response: Record<string, unknown>;
        try {
          response = await needSts(deps)({
            action: 'AssumeRoleWithWebIdentity',
            body: {
              ProviderId: spec.providerId,
              WebIdentityToken: jwt,
              RoleArn: spec.role.roleArn,
              RoleSessionName: spec.role.sessionName,
              DurationSeconds: spec.role.durationSeconds,
            },
            ...(spec.region ? { region: spec.region } : {}),
          });
        } catch (error) {
          throw roleRefused(error, 'AssumeRoleWithWebIdentity', spec.role);
        }
        const creds = readStsCredentials(response, 'AssumeRoleWithWebIdentity', describe, spec.role.roleArn, deps);
        deps.debug?.(`credentials: role keys SecretId ${creds.secretId}${creds.expiresAt ? `, expire ${new Date(creds.expiresAt).toISOString()}` : ''}`);
        return creds;
      });
    },
  };
}
