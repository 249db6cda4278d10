/**
 * The emulator plays STS too (docs/emulator.md): AssumeRole (signed by a known account, credential-scope service
 * `sts`), AssumeRoleWithWebIdentity (unsigned, `Authorization: SKIP`, for the identity providers and tokens it is
 * told to accept) and GetCallerIdentity. Keys it issues are accepted with their token until they expire, and act in
 * the role's account: their settings are kept under that account, whichever temporary key wrote them. A
 * metadata-service stand-in (metadata.ts) hands out the keys of an emulated CVM instance role.
 */
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { STS_SERVICE, STS_VERSION } from '../core/api-model.js';
import { UsageError } from '../core/errors.js';
import { reject, pass, type Checked } from './api-failure.js';
import type { ApiOutcome } from './api.js';
import { secretIdOf } from './record.js';
import type { EmulatorAccount } from './types.js';
import { checkAuthentication, MAX_CLOCK_SKEW_SECONDS, type ApiRequestHead } from './verify.js';

export const STS_ACTIONS: ReadonlySet<string> = new Set(['AssumeRole', 'AssumeRoleWithWebIdentity', 'GetCallerIdentity']);
const ROLE_ARN_RE = /^qcs::cam::uin\/(\d{1,20}):role(?:Name)?\/([\w+=,.@/-]{1,128})$/;
const SESSION_RE = /^[\w+=,.@-]{2,128}$/;
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const DEFAULT_STS_DURATION_SECONDS = 7200;
export const MAX_STS_DURATION_SECONDS = 43200;
/** The first emulated account's UIN; the next ones count up. */
export const FIRST_UIN = 100000000001;

export interface StsOptions {
  /** Role ARNs that may be assumed; when none are given, any well-formed role ARN may be. */
  roles?: string[];
  /** Identity provider names (CAM's ProviderId) AssumeRoleWithWebIdentity accepts. */
  oidcProviders?: string[];
  /** The identity tokens (JWTs) it accepts, exactly. */
  webIdentityTokens?: string[];
  /** The role bound to the emulated CVM instance; unset: the instance has none. */
  cvmRole?: string;
}

/** Who a temporary key acts as. */
interface Issued {
  uin: string;
  roleArn: string;
  roleId: string;
  sessionName: string;
  /** The UIN (or identity provider) that asked for the role's keys. */
  principal: string;
  expiresAtMs: number;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function randomText(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return out;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A stable role ID for an ARN, in the form CAM uses (4611686018…). */
function roleIdOf(arn: string): string {
  return `46116860184${(parseInt(createHash('sha256').update(arn).digest('hex').slice(0, 8), 16) % 1e8).toString().padStart(8, '0')}`;
}

function fail(code: string, message: string): ApiOutcome {
  return { ok: false, failure: { code, message } };
}

function ok(response: Record<string, unknown>): ApiOutcome {
  return { ok: true, response };
}

/** A recorded body without the identity token it may carry (AssumeRoleWithWebIdentity). */
export function redactWebIdentityToken(body: string): string {
  return body.includes('WebIdentityToken') ? body.replace(/("WebIdentityToken"\s*:\s*)"(?:[^"\\]|\\.)*"/g, '$1"<redacted>"') : body;
}

export const ENV_OIDC_TOKENS = 'TCSS_EMULATOR_OIDC_TOKENS';

/** The emulator command's STS flags (and TCSS_EMULATOR_OIDC_TOKENS, comma-separated), checked. */
export function stsOptionsFrom(
  flags: { role?: string[]; oidcProvider?: string[]; oidcToken?: string[]; cvmRole?: string },
  env: Readonly<Record<string, string | undefined>>,
): StsOptions {
  const bad = (what: string): never => {
    throw new UsageError('Usage.InvalidValue', what);
  };
  for (const arn of [...(flags.role ?? []), ...(flags.cvmRole ? [flags.cvmRole] : [])]) {
    if (!ROLE_ARN_RE.test(arn)) bad(`${JSON.stringify(arn.slice(0, 200))} is not a role ARN: use qcs::cam::uin/UIN:roleName/NAME`);
  }
  for (const id of flags.oidcProvider ?? []) if (!/^[\w+=,.@-]{1,128}$/.test(id)) bad(`--oidc-provider ${JSON.stringify(id.slice(0, 130))} is not a provider name`);
  const tokens = [...(flags.oidcToken ?? []), ...(env[ENV_OIDC_TOKENS]?.split(',') ?? [])].map((t) => t.trim()).filter((t) => t !== '');
  const options: StsOptions = {};
  if (flags.role?.length) options.roles = flags.role;
  if (flags.oidcProvider?.length) options.oidcProviders = flags.oidcProvider;
  if (tokens.length) options.webIdentityTokens = tokens;
  if (flags.cvmRole) options.cvmRole = flags.cvmRole;
  return options;
}

export function isStsRequest(headers: IncomingHttpHeaders): boolean {
  const action = header(headers, 'x-tc-action');
  return action !== undefined && STS_ACTIONS.has(action);
}

export class StsEmulator {
  readonly #accounts: Map<string, EmulatorAccount>;
  readonly #options: StsOptions;
  readonly #uins = new Map<string, string>();
  readonly #issued = new Map<string, Issued>();
  /** Temporary keys that expired (bounded: the oldest are forgotten). */
  readonly #expired = new Set<string>();
  readonly #secrets: string[] = [];

  issuedSecrets(): string[] {
    return [...this.#secrets];
  }

  constructor(accounts: Map<string, EmulatorAccount>, options: StsOptions = {}) {
    this.#accounts = accounts;
    this.#options = options;
    let i = 0;
    for (const account of accounts.values()) this.#uins.set(account.secretId, account.uin ?? String(FIRST_UIN + i++));
  }

  /** The UIN of a configured account (by SecretId), or of the account a temporary key acts in. */
  uinOf(secretId: string): string | undefined {
    return this.#issued.get(secretId)?.uin ?? this.#uins.get(secretId);
  }

  /** The configured accounts with their UINs, for the start-up lines. */
  get baseAccounts(): Array<{ secretId: string; uin: string }> {
    return [...this.#uins].map(([secretId, uin]) => ({ secretId, uin }));
  }

  /** Issues a temporary key in the role's account. */
  issue(roleArn: string, sessionName: string, principal: string, durationSeconds: number, nowMs: number): Record<string, unknown> {
    const uin = ROLE_ARN_RE.exec(roleArn)?.[1] as string;
    const secretId = `AKIDTMP${randomText(29)}`;
    const secretKey = randomText(40);
    const token = `tcssemu${randomText(120)}`;
    const expiresAtMs = Math.floor(nowMs / 1000) * 1000 + durationSeconds * 1000;
    this.#accounts.set(secretId, { secretId, secretKey, token, settingsKey: `uin:${uin}` });
    if (this.#secrets.length < 10_000) this.#secrets.push(secretKey, token);
    this.#issued.set(secretId, { uin, roleArn, roleId: roleIdOf(roleArn), sessionName, principal, expiresAtMs });
    return {
      Credentials: { TmpSecretId: secretId, TmpSecretKey: secretKey, Token: token },
      ExpiredTime: expiresAtMs / 1000,
      Expiration: new Date(expiresAtMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
  }

  /** Forgets keys that have expired, so requests signed with them are refused. */
  #sweep(nowMs: number): void {
    for (const [secretId, issued] of this.#issued) {
      if (issued.expiresAtMs <= nowMs) {
        this.#issued.delete(secretId);
        this.#accounts.delete(secretId);
        this.#expired.add(secretId);
        if (this.#expired.size > 10_000) this.#expired.delete(this.#expired.values().next().value as string);
      }
    }
  }

  #roleAllowed(roleArn: unknown): Checked<string> {
    if (typeof roleArn !== 'string' || roleArn === '') return reject('MissingParameter', 'The request is missing a required parameter `RoleArn`.');
    if (!ROLE_ARN_RE.test(roleArn)) return reject('InvalidParameter.ParamError', `RoleArn \`${roleArn.slice(0, 200)}\` is not a role ARN.`);
    const roles = this.#options.roles ?? [];
    if (roles.length > 0 && !roles.includes(roleArn)) return reject('ResourceNotFound.RoleNotExist', `The role \`${roleArn.slice(0, 200)}\` does not exist or may not be assumed.`);
    return pass(roleArn);
  }

  #session(body: Record<string, unknown>): Checked<{ sessionName: string; duration: number }> {
    const name = body.RoleSessionName;
    if (typeof name !== 'string' || name === '') return reject('MissingParameter', 'The request is missing a required parameter `RoleSessionName`.');
    if (!SESSION_RE.test(name)) return reject('InvalidParameter.ParamError', 'RoleSessionName must be 2 to 128 characters of [\\w+=,.@-].');
    const duration = body.DurationSeconds ?? DEFAULT_STS_DURATION_SECONDS;
    if (typeof duration !== 'number' || !Number.isInteger(duration) || duration < 1 || duration > MAX_STS_DURATION_SECONDS) {
      return reject('InvalidParameter.OverTimeError', `DurationSeconds must be a whole number from 1 to ${MAX_STS_DURATION_SECONDS}.`);
    }
    return pass({ sessionName: name, duration });
  }

  /**
   * Answers an STS request, refuses a TCSS request signed with an expired temporary key, or returns undefined
   * for the TCSS API to answer.
   */
  answer(head: ApiRequestHead, body: Buffer, serverNowMs: number): ApiOutcome | undefined {
    this.#sweep(serverNowMs);
    const action = header(head.headers, 'x-tc-action');
    if (action === undefined || !STS_ACTIONS.has(action)) return undefined;
    if (head.method !== 'POST') return fail('UnsupportedOperation', `The emulator accepts only POST requests, got ${head.method}.`);
    if (header(head.headers, 'x-tc-version') !== STS_VERSION) {
      return fail('NoSuchVersion', `The API version \`${header(head.headers, 'x-tc-version') ?? ''}\` of \`${action}\` does not exist; use ${STS_VERSION}.`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return fail('InvalidParameter', 'The request body is not valid JSON.');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return fail('InvalidParameter', 'The request body must be a JSON object.');
    const input = parsed as Record<string, unknown>;
    const nowSeconds = serverNowMs / 1000;

    if (action === 'AssumeRoleWithWebIdentity') {
      if (header(head.headers, 'authorization') !== 'SKIP') {
        return fail('AuthFailure.InvalidAuthorization', 'AssumeRoleWithWebIdentity is not signed: send `Authorization: SKIP`.');
      }
      const timestamp = Number(header(head.headers, 'x-tc-timestamp') ?? NaN);
      if (!Number.isSafeInteger(timestamp) || Math.abs(nowSeconds - timestamp) > MAX_CLOCK_SKEW_SECONDS) {
        return fail('AuthFailure.SignatureExpire', `X-TC-Timestamp is not within ${MAX_CLOCK_SKEW_SECONDS} seconds of the server time.`);
      }
      const providerId = input.ProviderId;
      if (typeof providerId !== 'string' || !(this.#options.oidcProviders ?? []).includes(providerId)) {
        return fail('ResourceNotFound.IdentityProviderNotExist', `The identity provider \`${String(providerId).slice(0, 128)}\` does not exist.`);
      }
      const token = input.WebIdentityToken;
      if (typeof token !== 'string' || !(this.#options.webIdentityTokens ?? []).some((accepted) => same(accepted, token))) {
        return fail('InvalidParameter.WebIdentityTokenError', 'The web identity token is invalid or expired.');
      }
      const role = this.#roleAllowed(input.RoleArn);
      if (!role.ok) return role;
      const session = this.#session(input);
      if (!session.ok) return session;
      return ok(this.issue(role.value, session.value.sessionName, `oidc:${providerId}`, session.value.duration, serverNowMs));
    }

    const expired = this.expiredKey(head.headers, serverNowMs);
    if (expired) return expired;
    const auth = checkAuthentication(head, body, this.#accounts, nowSeconds, STS_SERVICE);
    if (!auth.ok) return auth;
    const caller = auth.value.secretId;
    if (action === 'GetCallerIdentity') {
      const issued = this.#issued.get(caller);
      if (issued) {
        return ok({
          Arn: `qcs::sts:${issued.uin}:assumed-role/${issued.roleId}/${issued.sessionName}`,
          AccountId: issued.uin,
          UserId: `${issued.roleId}:${issued.sessionName}`,
          PrincipalId: issued.principal,
          Type: 'CAMRole',
        });
      }
      const uin = this.#uins.get(caller) as string;
      return ok({ Arn: `qcs::cam::uin/${uin}:uin/${uin}`, AccountId: uin, UserId: uin, PrincipalId: uin, Type: 'CAMUser' });
    }
    const role = this.#roleAllowed(input.RoleArn);
    if (!role.ok) return role;
    const session = this.#session(input);
    if (!session.ok) return session;
    return ok(this.issue(role.value, session.value.sessionName, this.uinOf(caller) as string, session.value.duration, serverNowMs));
  }

  /** A TCSS request signed with a temporary key that has expired: refused as the service does. */
  expiredKey(headers: IncomingHttpHeaders, serverNowMs: number): ApiOutcome | undefined {
    this.#sweep(serverNowMs);
    const id = secretIdOf(header(headers, 'authorization'));
    if (id === undefined || !this.#expired.has(id)) return undefined;
    return fail('AuthFailure.TokenFailure', 'The token has expired: ask STS for new temporary keys.');
  }

  get cvmRole(): string | undefined {
    return this.#options.cvmRole;
  }
}
