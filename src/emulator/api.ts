/**
 * The emulated service proper: given a received request, the `Response` object the real API would answer
 * (without RequestId, which the server adds), in the caller's language. The forms accepted are those of
 * docs/api.md#request-forms-the-service-accepts: TC3 over POST JSON or GET query, Signature v1 over GET query or POST form. Checks run in this
 * order: method, signature (envelope, timestamp, caller, signature, token), region and language, rate limit,
 * input.
 */
import { ACTION_CREATE } from '../core/api-model.js';
import { failure, languageOf, pass, reject, SUPPORTED_LANGUAGES, type ApiFailure, type Checked, type Language } from './api-failure.js';
import type { RateLimiter } from './rate-limit.js';
import { FORM_TYPE, header, inputFromParams, mediaTypeOf, parseForm, type ApiRequest } from './request.js';
import { TCSS_SERVICE, type ServiceSpec } from './service.js';
import { settingsFromCreate, StateTooLargeError, type SettingsStore } from './state.js';
import type { EmulatorAccount } from './types.js';
import { parseJsonBody, validateInput } from './validate.js';
import { verifyTc3 } from './verify-tc3.js';
import { V1_COMMON_PARAMS, verifyV1 } from './verify-v1.js';

export interface ApiContext {
  accounts: ReadonlyMap<string, EmulatorAccount>;
  store: SettingsStore;
  limiter: RateLimiter;
  /** Server clock in ms, emulated offset included. */
  serverNowMs: number;
  /** Defaults to TCSS. */
  service?: ServiceSpec;
}

export type ApiOutcome =
  | { ok: true; response: Record<string, unknown>; language: Language }
  | { ok: false; failure: ApiFailure; language: Language };

/** A request is Signature v1 when it carries no Authorization header and is a GET or a POST form. */
export function isV1Request(req: ApiRequest): boolean {
  if (header(req.headers, 'authorization') !== undefined) return false;
  return req.method === 'GET' || (req.method === 'POST' && mediaTypeOf(header(req.headers, 'content-type')) === FORM_TYPE);
}

/** The flat parameters of a v1 request: the query of a GET, the form body of a POST. */
export function v1Params(req: ApiRequest): Checked<Map<string, string>> {
  return parseForm(req.method === 'GET' ? req.rawQuery : Buffer.from(req.body).toString('utf8'));
}

function checkRegionAndLanguage(req: ApiRequest): Checked<undefined> {
  const region = header(req.headers, 'x-tc-region');
  if (region !== undefined && region.trim() === '') {
    // The real API rejects an empty region header (an early Node SDK release sent one).
    return reject(
      'InvalidParameterValue',
      'The X-TC-Region header is empty: send a region or omit the header.',
      '请求头 X-TC-Region 为空：请填写地域，或不发送该请求头。',
    );
  }
  const language = header(req.headers, 'x-tc-language');
  if (language !== undefined && !(SUPPORTED_LANGUAGES as readonly string[]).includes(language)) {
    return reject(
      'InvalidParameterValue',
      `X-TC-Language must be one of ${SUPPORTED_LANGUAGES.join(', ')}, got ${JSON.stringify(language)}.`,
      `X-TC-Language 必须为 ${SUPPORTED_LANGUAGES.join('、')} 之一，实际为 ${JSON.stringify(language)}。`,
    );
  }
  return pass(undefined);
}

interface Caller {
  account: EmulatorAccount;
  action: string;
  input: Record<string, unknown>;
}

function authenticate(req: ApiRequest, ctx: ApiContext, service: ServiceSpec): Checked<Caller> {
  const nowSeconds = ctx.serverNowMs / 1000;
  if (isV1Request(req)) {
    const params = v1Params(req);
    if (!params.ok) return params;
    const verified = verifyV1(req, params.value, service, ctx.accounts, nowSeconds);
    if (!verified.ok) return verified;
    const own = new Map([...params.value].filter(([name]) => !V1_COMMON_PARAMS.has(name)));
    const input = inputFromParams(service.actions[verified.value.action] ?? [], own);
    return input.ok ? pass({ account: verified.value.account, action: verified.value.action, input: input.value }) : input;
  }
  const verified = verifyTc3(req, service, ctx.accounts, nowSeconds);
  if (!verified.ok) return verified;
  const optional = checkRegionAndLanguage(req);
  if (!optional.ok) return optional;
  const { account, action } = verified.value;
  let input: Checked<Record<string, unknown>>;
  if (verified.value.params === 'query') {
    const params = parseForm(req.rawQuery);
    input = params.ok ? inputFromParams(service.actions[action] ?? [], params.value) : params;
  } else {
    input = parseJsonBody(Buffer.from(req.body).toString('utf8'));
  }
  return input.ok ? pass({ account, action, input: input.value }) : input;
}

/** The language the caller asked for: X-TC-Language, or the v1 `Language` parameter. */
export function requestedLanguage(req: ApiRequest): string | undefined {
  if (isV1Request(req)) {
    const params = v1Params(req);
    return params.ok ? params.value.get('Language') : undefined;
  }
  return header(req.headers, 'x-tc-language');
}

export async function answerApiRequest(req: ApiRequest, ctx: ApiContext): Promise<ApiOutcome> {
  const service = ctx.service ?? TCSS_SERVICE;
  const language = languageOf(requestedLanguage(req));
  if (req.method !== 'GET' && req.method !== 'POST') {
    return {
      ok: false,
      failure: failure('UnsupportedOperation', `The service accepts only GET and POST requests, got ${req.method}.`, `服务只接受 GET 和 POST 请求，实际为 ${req.method}。`),
      language,
    };
  }
  const caller = authenticate(req, ctx, service);
  if (!caller.ok) return { ...caller, language };
  const { account, action } = caller.value;
  if (!ctx.limiter.admit(account.secretId, ctx.serverNowMs)) {
    return {
      ok: false,
      failure: failure('RequestLimitExceeded', 'Your request rate exceeds the limit for this SecretId; please try again later.', '该 SecretId 的请求频率超过限制，请稍后重试。'),
      language,
    };
  }
  const input = validateInput(service.actions[action] ?? [], caller.value.input);
  if (!input.ok) return { ...input, language };
  if (action === ACTION_CREATE) {
    try {
      await ctx.store.put(account.settingsKey ?? account.secretId, settingsFromCreate(input.value));
    } catch (error) {
      if (!(error instanceof StateTooLargeError)) throw error;
      return {
        ok: false,
        failure: failure(
          'LimitExceeded',
          `The emulator's state file would grow over its limit (${error.message}); nothing was stored.`,
          `模拟器的状态文件将超出大小限制（${error.message}），本次设置未保存。`,
        ),
        language,
      };
    }
    return { ok: true, response: {}, language };
  }
  return { ok: true, response: ctx.store.current(account.settingsKey ?? account.secretId), language };
}
