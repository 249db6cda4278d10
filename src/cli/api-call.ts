/** One API call from a command: dry run or signed send, with debug output. */
import type { ActionName, ApiResponse } from '../core/api-model.js';
import { prepareRequest, type ApiCall } from '../core/api/index.js';
import type { Credentials } from '../core/credentials/index.js';
import { InterruptedError } from '../core/errors.js';
import { resolveProxy } from '../core/http/index.js';
import { callApiReliably, type ReliableCallOptions } from '../core/api/index.js';
import { retryBaseMs } from '../core/api/index.js';
import type { CommandContext } from './context.js';
import { renderRequest, requestJson } from './format.js';

export function buildCall(ctx: CommandContext, action: ActionName, body: object, credentials: Credentials | undefined): ApiCall {
  const call: ApiCall = { action, body, endpoint: ctx.globals.endpoint, now: ctx.now() };
  if (credentials) call.credentials = credentials;
  if (ctx.globals.region) call.region = ctx.globals.region;
  if (ctx.globals.language) call.language = ctx.globals.language;
  return call;
}

/** Prints the request that would go out, signature redacted, and sends nothing. */
export async function printDryRun(ctx: CommandContext, action: ActionName, body: object, note?: string): Promise<void> {
  let role: string | undefined;
  const credentials = await ctx.optionalCredentials({ offline: true, skipped: (source) => (role = source) });
  const prepared = prepareRequest(buildCall(ctx, action, body, credentials));
  if (ctx.globals.output === 'json') {
    ctx.terminal.out.write(`${JSON.stringify(requestJson(prepared), null, 2)}\n`);
  } else {
    ctx.terminal.out.write(renderRequest(prepared));
  }
  const line =
    note ??
    (credentials
    ? 'dry run: nothing was sent (signature redacted)'
    : role
      ? `dry run: nothing was sent; the credentials would come from ${role}, which a dry run does not ask for, so the request above is unsigned`
      : 'dry run: nothing was sent; no credentials were found, so the request above is unsigned');
  ctx.terminal.err.write(`${ctx.terminal.errColor.dim(line)}\n`);
}

/**
 * How a command's calls are sent: the proxy that applies (its password registered for redaction), the retry
 * settings, the clock and the interrupt signal. Throws a UsageError (nothing sent) for an unusable proxy variable
 * or TCSS_RETRY_BASE_MS.
 */
export function reliableOptions(
  ctx: CommandContext,
  debug: ((line: string) => void) | undefined = ctx.debugEnabled ? ctx.debug : undefined,
  target: string = ctx.globals.endpoint.url,
): ReliableCallOptions {
  const explicit = ctx.globals.proxy === undefined ? undefined : { value: ctx.globals.proxy, where: ctx.sources.proxy?.name ?? '--proxy' };
  const proxy = resolveProxy(target, explicit, ctx.env);
  // The proxy password never reaches an output (parseProxyUrl checked it decodes).
  if (proxy?.url.password) ctx.terminal.addSecret(decodeURIComponent(proxy.url.password));
  const { errColor } = ctx.terminal;
  return {
    timeoutMs: ctx.globals.timeoutMs,
    retries: ctx.globals.retries,
    retryBaseMs: retryBaseMs(ctx.env),
    ...(proxy ? { proxy } : {}),
    signal: ctx.signal,
    clock: ctx.now,
    ...(debug ? { debug } : {}),
    warn: (line) => ctx.terminal.err.write(`${errColor.yellow('warning')}: ${line}\n`),
    skew: ctx.clockSkew,
  };
}

/**
 * Signs and sends, through the proxy that applies, retrying transient failures (signed afresh each time);
 * returns the API's Response object.
 */
export async function sendApiCall(ctx: CommandContext, action: ActionName, body: object): Promise<ApiResponse> {
  const options = reliableOptions(ctx);
  const credentials = await ctx.credentials();
  if (ctx.signal.aborted) throw new InterruptedError();
  const { now: _unused, ...call } = buildCall(ctx, action, body, credentials);
  return callApiReliably(call, options);
}
