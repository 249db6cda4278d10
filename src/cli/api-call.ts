/** One API call from a command: dry run or signed send, with debug output. */
import type { ActionName, ApiResponse } from '../core/api-model.js';
import { callApi, prepareRequest, type ApiCall } from '../core/client.js';
import type { Credentials } from '../core/credentials.js';
import { InterruptedError } from '../core/errors.js';
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
export async function printDryRun(ctx: CommandContext, action: ActionName, body: object): Promise<void> {
  const credentials = await ctx.optionalCredentials();
  const prepared = prepareRequest(buildCall(ctx, action, body, credentials));
  if (ctx.globals.output === 'json') {
    ctx.terminal.out.write(`${JSON.stringify(requestJson(prepared), null, 2)}\n`);
  } else {
    ctx.terminal.out.write(renderRequest(prepared));
  }
  const note = credentials
    ? 'dry run: nothing was sent (signature redacted)'
    : 'dry run: nothing was sent; no credentials were found, so the request above is unsigned';
  ctx.terminal.err.write(`${ctx.terminal.errColor.dim(note)}\n`);
}

/** Signs and sends; returns the API's Response object. */
export async function sendApiCall(ctx: CommandContext, action: ActionName, body: object): Promise<ApiResponse> {
  const credentials = await ctx.credentials();
  if (ctx.signal.aborted) throw new InterruptedError();
  return callApi(buildCall(ctx, action, body, credentials), {
    timeoutMs: ctx.globals.timeoutMs,
    signal: ctx.signal,
    debug: ctx.debugEnabled ? ctx.debug : undefined,
  });
}
