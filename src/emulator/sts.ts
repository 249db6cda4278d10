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
import { failure, languageOf, pass, reject, type ApiFailure, type Checked, type Language } from './api-failure.js';
import type { ApiOutcome } from './api.js';
import { secretIdOf } from './record.js';
import { header, type ApiRequest } from './request.js';
import type { ServiceSpec } from './service.js';
import type { EmulatorAccount } from './types.js';
import { checkTimestamp, verifyTc3 } from './verify-tc3.js';

/** STS as the shared TC3 verifier sees it: credential-scope service `sts`, version 2018-08-13. */
export const STS_SPEC: ServiceSpec = {
  name: STS_SERVICE,
  version: STS_VERSION,
  actions: { AssumeRole: [], AssumeRoleWithWebIdentity: [], GetCallerIdentity: [] },
};

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

function no<T>(code: string, en: string, zh: string): Checked<T> {
  return reject(code, en, zh);
}

/** A refusal, with its message in English and in Chinese; the caller's X-TC-Language picks one. */
function fail(code: string, en: string, zh: string, language: Language): ApiOutcome {
  return { ok: false, failure: failure(code, en, zh), language };
}

function ok(response: Record<string, unknown>, language: Language): ApiOutcome {
  return { ok: true, response, language };
}

/** A recorded body without the identity token it may carry (AssumeRoleWithWebIdentity). */
export function redactWebIdentityToken(body: string): string {
  // A body cut short by the record's size limit may end inside the token: up to the end is redacted then.
  return body.includes('WebIdentityToken') ? body.replace(/("WebIdentityToken"\s*:\s*)"(?:[^"\\]|\\.)*(?:"|\\?$)/g, '$1"<redacted>"') : body;
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
    if (typeof roleArn !== 'string' || roleArn === '') return no('MissingParameter', 'The request is missing a required parameter `RoleArn`.', '缺少必填参数 `RoleArn`。');
    if (!ROLE_ARN_RE.test(roleArn)) return no('InvalidParameter.ParamError', `RoleArn \`${roleArn.slice(0, 200)}\` is not a role ARN.`, `RoleArn \`${roleArn.slice(0, 200)}\` 不是角色 ARN。`);
    const roles = this.#options.roles ?? [];
    if (roles.length > 0 && !roles.includes(roleArn)) return no('ResourceNotFound.RoleNotExist', `The role \`${roleArn.slice(0, 200)}\` does not exist or may not be assumed.`, `角色 \`${roleArn.slice(0, 200)}\` 不存在或不允许扮演。`);
    return pass(roleArn);
  }

  #session(body: Record<string, unknown>): Checked<{ sessionName: string; duration: number }> {
    const name = body.RoleSessionName;
    if (typeof name !== 'string' || name === '') return no('MissingParameter', 'The request is missing a required parameter `RoleSessionName`.', '缺少必填参数 `RoleSessionName`。');
    if (!SESSION_RE.test(name)) return no('InvalidParameter.ParamError', 'RoleSessionName must be 2 to 128 characters of [\\w+=,.@-].', 'RoleSessionName 须为 2 到 128 个 [\\w+=,.@-] 字符。');
    const duration = body.DurationSeconds ?? DEFAULT_STS_DURATION_SECONDS;
    if (typeof duration !== 'number' || !Number.isInteger(duration) || duration < 1 || duration > MAX_STS_DURATION_SECONDS) {
      return no('InvalidParameter.OverTimeError', `DurationSeconds must be a whole number from 1 to ${MAX_STS_DURATION_SECONDS}.`, `DurationSeconds 须为 1 到 ${MAX_STS_DURATION_SECONDS} 之间的整数。`);
    }
    return pass({ sessionName: name, duration });
  }

  /**
   * Answers an STS request, or returns undefined for the TCSS API to answer. AssumeRole and GetCallerIdentity go
   * through the TCSS verifier with STS's service spec (credential scope `sts`).
   */
  answer(req: ApiRequest, serverNowMs: number): ApiOutcome | undefined {
    this.#sweep(serverNowMs);
    const action = header(req.headers, 'x-tc-action');
    if (action === undefined || !STS_ACTIONS.has(action)) return undefined;
    const language = languageOf(header(req.headers, 'x-tc-language'));
    const refused = (checked: { ok: false; failure: ApiFailure }): ApiOutcome => ({ ...checked, language });
    if (req.method !== 'POST') return fail('UnsupportedOperation', `The emulator's STS accepts only POST requests, got ${req.method}.`, `模拟器的 STS 只接受 POST 请求，收到的是 ${req.method}。`, language);
    const nowSeconds = serverNowMs / 1000;
    let signer: EmulatorAccount | undefined;
    if (action === 'AssumeRoleWithWebIdentity') {
      if (header(req.headers, 'authorization') !== 'SKIP') {
        return fail('AuthFailure.InvalidAuthorization', 'AssumeRoleWithWebIdentity is not signed: send `Authorization: SKIP`.', 'AssumeRoleWithWebIdentity 无需签名：请发送 `Authorization: SKIP`。', language);
      }
      if (header(req.headers, 'x-tc-version') !== STS_VERSION) {
        return fail('NoSuchVersion', `The API version \`${header(req.headers, 'x-tc-version') ?? ''}\` of \`${action}\` does not exist; use ${STS_VERSION}.`, `接口 \`${action}\` 的版本 \`${header(req.headers, 'x-tc-version') ?? ''}\` 不存在，请使用 ${STS_VERSION}。`, language);
      }
      const timestamp = checkTimestamp(header(req.headers, 'x-tc-timestamp') ?? '', nowSeconds, 'X-TC-Timestamp');
      if (!timestamp.ok) return refused(timestamp);
    } else {
      const expired = this.expiredKey(req.headers, serverNowMs, language);
      if (expired) return expired;
      const verified = verifyTc3(req, STS_SPEC, this.#accounts, nowSeconds);
      if (!verified.ok) return refused(verified);
      signer = verified.value.account;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(req.body).toString('utf8'));
    } catch {
      return fail('InvalidParameter', 'The request body is not valid JSON.', '请求体不是合法的 JSON。', language);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return fail('InvalidParameter', 'The request body must be a JSON object.', '请求体必须是 JSON 对象。', language);
    const input = parsed as Record<string, unknown>;

    if (action === 'AssumeRoleWithWebIdentity') {
      const providerId = input.ProviderId;
      if (typeof providerId !== 'string' || !(this.#options.oidcProviders ?? []).includes(providerId)) {
        return fail('ResourceNotFound.IdentityProviderNotExist', `The identity provider \`${String(providerId).slice(0, 128)}\` does not exist.`, `身份提供商 \`${String(providerId).slice(0, 128)}\` 不存在。`, language);
      }
      const token = input.WebIdentityToken;
      if (typeof token !== 'string' || !(this.#options.webIdentityTokens ?? []).some((accepted) => same(accepted, token))) {
        return fail('InvalidParameter.WebIdentityTokenError', 'The web identity token is invalid or expired.', '身份令牌无效或已过期。', language);
      }
      const role = this.#roleAllowed(input.RoleArn);
      if (!role.ok) return refused(role);
      const session = this.#session(input);
      if (!session.ok) return refused(session);
      return ok(this.issue(role.value, session.value.sessionName, `oidc:${providerId}`, session.value.duration, serverNowMs), language);
    }

    const caller = (signer as EmulatorAccount).secretId;
    if (action === 'GetCallerIdentity') {
      const issued = this.#issued.get(caller);
      if (issued) {
        return ok(
          {
            Arn: `qcs::sts:${issued.uin}:assumed-role/${issued.roleId}/${issued.sessionName}`,
            AccountId: issued.uin,
            UserId: `${issued.roleId}:${issued.sessionName}`,
            PrincipalId: issued.principal,
            Type: 'CAMRole',
          },
          language,
        );
      }
      const uin = this.#uins.get(caller) as string;
      return ok({ Arn: `qcs::cam::uin/${uin}:uin/${uin}`, AccountId: uin, UserId: uin, PrincipalId: uin, Type: 'CAMUser' }, language);
    }
    const role = this.#roleAllowed(input.RoleArn);
    if (!role.ok) return refused(role);
    const session = this.#session(input);
    if (!session.ok) return refused(session);
    return ok(this.issue(role.value, session.value.sessionName, this.uinOf(caller) as string, session.value.duration, serverNowMs), language);
  }

  /** A request signed with a temporary key that has expired: refused as the service does. */
  expiredKey(headers: IncomingHttpHeaders, serverNowMs: number, language: Language = 'en-US'): ApiOutcome | undefined {
    this.#sweep(serverNowMs);
    const id = secretIdOf(header(headers, 'authorization'));
    if (id === undefined || !this.#expired.has(id)) return undefined;
    return fail('AuthFailure.TokenFailure', 'The token has expired: ask STS for new temporary keys.', '临时密钥已过期：请向 STS 重新申请临时密钥。', language);
  }

  get cvmRole(): string | undefined {
    return this.#options.cvmRole;
  }
}
