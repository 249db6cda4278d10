/**
 * The emulated service proper: given a request's head and exact body bytes, the `Response` object the real
 * API would answer (without RequestId, which the server adds). Checks run in this order: envelope (method,
 * content type, action, version), authentication, region/language headers, rate limit, body.
 */
import { ACTION_CREATE, type ActionName } from '../core/api-model.js';
import type { ApiFailure } from './api-failure.js';
import type { RateLimiter } from './rate-limit.js';
import { settingsFromCreate, type SettingsStore } from './state.js';
import type { EmulatorAccount } from './types.js';
import { validateBody } from './validate.js';
import { checkAuthentication, checkEnvelope, checkOptionalHeaders, type ApiRequestHead } from './verify.js';

export interface ApiContext {
  accounts: ReadonlyMap<string, EmulatorAccount>;
  store: SettingsStore;
  limiter: RateLimiter;
  /** Server clock in ms, emulated offset included. */
  serverNowMs: number;
}

export type ApiOutcome = { ok: true; response: Record<string, unknown> } | { ok: false; failure: ApiFailure };

export async function answerApiRequest(head: ApiRequestHead, body: Buffer, ctx: ApiContext): Promise<ApiOutcome> {
  const envelope = checkEnvelope(head);
  if (!envelope.ok) return envelope;
  const action: ActionName = envelope.value;
  const auth = checkAuthentication(head, body, ctx.accounts, ctx.serverNowMs / 1000);
  if (!auth.ok) return auth;
  const account = auth.value;
  const optional = checkOptionalHeaders(head);
  if (!optional.ok) return optional;
  if (!ctx.limiter.admit(account.secretId, ctx.serverNowMs)) {
    return {
      ok: false,
      failure: { code: 'RequestLimitExceeded', message: 'Your request rate exceeds the limit for this SecretId; please try again later.' },
    };
  }
  const input = validateBody(action, body.toString('utf8'));
  if (!input.ok) return input;
  if (action === ACTION_CREATE) {
    await ctx.store.put(account.settingsKey ?? account.secretId, settingsFromCreate(input.value));
    return { ok: true, response: {} };
  }
  return { ok: true, response: ctx.store.current(account.settingsKey ?? account.secretId) };
}
