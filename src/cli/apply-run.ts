/**
 * The engine of `image-scan apply`/`diff` over one or many accounts: read every account's settings
 * and plan (phase 1), then write the accounts that differ (phase 2), each phase with bounded concurrency and
 * one shared client-side rate limit. A failing account never stops the others; every account ends with an
 * outcome.
 */
import { ACTION_CREATE, ACTION_DESCRIBE, type ActionName, type DescribeSettingResponse } from '../core/api-model.js';
import { prepareRequest, type PreparedRequest } from '../core/api/index.js';
import { callApiReliably, type ReliableCallOptions } from '../core/api/index.js';
import { roleAccount, type Credentials } from '../core/credentials/index.js';
import { planSettings, type SettingsPlan } from '../core/settings/index.js';
import { ExitCode, InterruptedError, TcssError } from '../core/errors.js';
import type { DesiredSettings } from '../core/settings/index.js';
import { mapBounded } from '../core/api/index.js';
import type { RateLimiter } from '../core/api/index.js';
import { fromDescribeResponse, toRequestBody } from '../core/settings/index.js';
import { buildCall } from './api-call.js';
import type { CommandContext } from './context.js';
import { toReport, type ErrorReport } from './format.js';

/** unchanged/changed: apply; drift: `--check` found differences; would-change: `--dry-run` found some. */
export type Outcome = 'unchanged' | 'changed' | 'would-change' | 'drift' | 'failed';
export type ApplyMode = 'apply' | 'check' | 'dry-run';

export interface AccountSpec {
  /** The profile name, or `env` for the environment's keys. */
  name: string;
  credentials: () => Promise<Credentials>;
}

export interface AccountResult {
  account: string;
  /** The account's UIN, when the credentials tell it (a role's ARN). */
  uin?: string;
  outcome: Outcome;
  exitCode: number;
  plan?: SettingsPlan;
  /** The Create's RequestId when one was sent, else the Describe's. */
  requestId?: string;
  /** `--dry-run`: the Create that would have been sent. */
  dryRunRequest?: PreparedRequest;
  error?: ErrorReport;
  /** The error itself, for a single-account run to rethrow. */
  cause?: unknown;
}

/** From worst to best: the overall exit code is the one that comes first here (docs/policy.md). */
export const EXIT_SEVERITY: readonly number[] = [
  ExitCode.Interrupted,
  ExitCode.Internal,
  ExitCode.Network,
  ExitCode.Api,
  ExitCode.Usage,
  ExitCode.Drift,
  ExitCode.Ok,
];

/** The worst of several exit codes (an unknown code counts as internal). */
export function worstExitCode(codes: Iterable<number>): number {
  let worst = EXIT_SEVERITY.length - 1;
  for (const code of codes) {
    const rank = EXIT_SEVERITY.indexOf(code);
    worst = Math.min(worst, rank < 0 ? EXIT_SEVERITY.indexOf(ExitCode.Internal) : rank);
  }
  return EXIT_SEVERITY[worst] as number;
}

export interface RunOptions {
  ctx: CommandContext;
  desired: DesiredSettings;
  file: string;
  mode: ApplyMode;
  concurrency: number;
  limiter: RateLimiter;
  /**
   * How calls are sent (reliableOptions in api-call.ts), computed once before the run so that a problem with the
   * whole run (a bad proxy variable or TCSS_RETRY_BASE_MS) is one usage error, not one per account.
   */
  reliable: ReliableCallOptions;
  /** Called once per account when its outcome is final. */
  onDone?: (result: AccountResult, doneCount: number) => void;
}

/** An account between the phases. */
export interface Planned {
  spec: AccountSpec;
  credentials?: Credentials;
  result?: AccountResult;
  plan?: SettingsPlan;
  describeRequestId?: string;
}

function failure(account: string, error: unknown, plan?: SettingsPlan): AccountResult {
  const exitCode = error instanceof TcssError ? error.exitCode : ExitCode.Internal;
  const result: AccountResult = { account, outcome: 'failed', exitCode, error: toReport(error, exitCode), cause: error };
  if (plan) result.plan = plan;
  return result;
}

async function send(opts: RunOptions, credentials: Credentials, action: ActionName, body: object) {
  const { ctx } = opts;
  if (ctx.signal.aborted) throw new InterruptedError();
  // Retries, proxy and clock-skew correction as for a single call (reliable-call.ts); every attempt, retries
  // included, waits for a slot of the shared rate limit.
  const { now: _unused, ...call } = buildCall(ctx, action, body, credentials);
  const options: ReliableCallOptions = { ...opts.reliable, beforeAttempt: async (signal) => void (await opts.limiter.acquire(signal)) };
  if (ctx.debugEnabled) options.debug = (line) => ctx.debug(`[${action}] ${line}`);
  return callApiReliably(call, options);
}

/** Phase 1: credentials, Describe and the plan for every account. Accounts already final are reported. */
export async function readPlans(accounts: readonly AccountSpec[], opts: RunOptions, counter: { done: number }): Promise<Planned[]> {
  const finish = (p: Planned, result: AccountResult): Planned => {
    p.result = result;
    counter.done += 1;
    opts.onDone?.(result, counter.done);
    return p;
  };
  const settled = await mapBounded(accounts, opts.concurrency, async (spec) => {
    const p: Planned = { spec };
    const withUin = (result: AccountResult): AccountResult => {
      const uin = p.credentials?.roleArn ? roleAccount(p.credentials.roleArn) : undefined;
      return uin ? { ...result, uin } : result;
    };
    try {
      if (opts.ctx.signal.aborted) throw new InterruptedError('Interrupted; nothing was sent for this account.');
      p.credentials = await spec.credentials();
      const response = (await send(opts, p.credentials, ACTION_DESCRIBE, {})) as unknown as DescribeSettingResponse;
      p.describeRequestId = response.RequestId;
      p.plan = planSettings(opts.desired, fromDescribeResponse(response), opts.file);
    } catch (error) {
      return finish(p, withUin(failure(spec.name, error, p.plan)));
    }
    const uin = p.credentials.roleArn ? roleAccount(p.credentials.roleArn) : undefined;
    const base = { account: spec.name, plan: p.plan, requestId: p.describeRequestId, ...(uin ? { uin } : {}) };
    if (p.plan.changes.length === 0) return finish(p, { ...base, outcome: 'unchanged', exitCode: ExitCode.Ok });
    if (opts.mode === 'check') return finish(p, { ...base, outcome: 'drift', exitCode: ExitCode.Drift });
    if (opts.mode === 'dry-run') {
      const dryRunRequest = prepareRequest(buildCall(opts.ctx, ACTION_CREATE, toRequestBody(p.plan.merged), p.credentials));
      return finish(p, { ...base, outcome: 'would-change', exitCode: ExitCode.Ok, dryRunRequest });
    }
    return p;
  });
  // The worker catches everything; a rejection here would be a bug in it.
  return settled.map((s, i) => (s.status === 'fulfilled' ? s.value : { spec: accounts[i] as AccountSpec, result: failure((accounts[i] as AccountSpec).name, s.reason) }));
}

/** The accounts phase 1 left needing a write. */
export function pendingWrites(planned: readonly Planned[]): Planned[] {
  return planned.filter((p) => p.result === undefined);
}

/** Marks the pending accounts as not written (the confirmation was declined or interrupted). */
export function cancelWrites(planned: readonly Planned[], error: unknown, counter: { done: number }, opts: RunOptions): void {
  for (const p of pendingWrites(planned)) {
    p.result = failure(p.spec.name, error, p.plan);
    counter.done += 1;
    opts.onDone?.(p.result, counter.done);
  }
}

/** Phase 2: one Create with the full merged settings for every account that differs. */
export async function writePlans(planned: readonly Planned[], opts: RunOptions, counter: { done: number }): Promise<void> {
  const pending = pendingWrites(planned);
  await mapBounded(pending, opts.concurrency, async (p) => {
    const plan = p.plan as SettingsPlan;
    try {
      if (opts.ctx.signal.aborted) throw new InterruptedError('Interrupted; nothing was sent for this account.');
      // Asked again: temporary keys that near their expiry during a long run are replaced here (one STS call).
      p.credentials = await p.spec.credentials();
      const response = await send(opts, p.credentials, ACTION_CREATE, toRequestBody(plan.merged));
      p.result = { account: p.spec.name, outcome: 'changed', exitCode: ExitCode.Ok, plan, requestId: response.RequestId };
    } catch (error) {
      p.result = failure(p.spec.name, error, plan);
    }
    const uin = p.credentials?.roleArn ? roleAccount(p.credentials.roleArn) : undefined;
    if (uin) p.result.uin = uin;
    counter.done += 1;
    opts.onDone?.(p.result, counter.done);
  });
}

/** The final results, in the order the accounts were given. */
export function results(planned: readonly Planned[]): AccountResult[] {
  return planned.map((p) => p.result ?? failure(p.spec.name, new Error('no outcome recorded')));
}
