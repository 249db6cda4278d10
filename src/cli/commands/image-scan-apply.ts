/**
 * `tcss image-scan apply -f FILE` and `tcss image-scan diff -f FILE` (= apply --check): policy as code
 * (docs/policy.md). Reads each account's settings, prints a semantic diff, and writes only when something differs.
 */
import { setMaxListeners } from 'node:events';
import { listProfiles, checkProfileName, sdkCredentialPath } from '../../core/credentials/index.js';
import { tildify } from '../../core/env.js';
import { InterruptedError, UsageError } from '../../core/errors.js';
import { loadPolicy } from '../../core/settings/index.js';
import { RateLimiter } from '../../core/api/index.js';
import { reliableOptions } from '../api-call.js';
import {
  cancelWrites,
  pendingWrites,
  readPlans,
  results as finalResults,
  worstExitCode,
  writePlans,
  type AccountResult,
  type AccountSpec,
  type ApplyMode,
  type Planned,
  type RunOptions,
} from '../apply-run.js';
import { confirmInTerminal, isCi } from '../confirm.js';
import type { CommandContext } from '../context.js';
import { renderRequest } from '../format.js';
import { accountLine, outcomeTable, planDocument, renderPlan, summaryLine } from '../policy-format.js';

/** Flags as commander parses them. */
export interface ImageScanApplyFlags {
  file: string;
  check?: boolean;
  yes?: boolean;
  /** Repeatable, each comma-separated. */
  profiles?: string[];
  allProfiles?: boolean;
  concurrency?: string;
}

export const DEFAULT_CONCURRENCY = 4;
export const MAX_CONCURRENCY = 16;

export function parseConcurrency(value: string | undefined): number {
  if (value === undefined) return DEFAULT_CONCURRENCY;
  const text = value.trim();
  const n = /^\d{1,3}$/.test(text) ? Number(text) : NaN;
  if (n >= 1 && n <= MAX_CONCURRENCY) return n;
  throw new UsageError('Usage.InvalidValue', `--concurrency ${JSON.stringify(value.slice(0, 20))} is not valid: use a whole number from 1 to ${MAX_CONCURRENCY}`);
}

/** `--profiles a,b --profiles c` → checked, de-duplicated names in order. */
export function parseProfiles(values: readonly string[]): string[] {
  const names: string[] = [];
  for (const item of values.flatMap((v) => v.split(','))) {
    const name = item.trim();
    if (name === '') throw new UsageError('Usage.InvalidValue', '--profiles has an empty item: remove the extra comma or give a profile name');
    if (!names.includes(checkProfileName(name, '--profiles'))) names.push(name);
  }
  return names;
}

/** The accounts to work on, and whether this is a many-account run (a table at the end). */
async function resolveAccounts(ctx: CommandContext, flags: ImageScanApplyFlags): Promise<{ accounts: AccountSpec[]; multi: boolean }> {
  if (flags.profiles && flags.allProfiles) throw new UsageError('Usage.Conflict', '--profiles and --all-profiles cannot be used together');
  if ((flags.profiles || flags.allProfiles) && ctx.sources.profile?.source === 'flag') {
    throw new UsageError('Usage.Conflict', `--profile cannot be used with ${flags.profiles ? '--profiles' : '--all-profiles'}: list every profile in --profiles`);
  }
  if (flags.profiles || flags.allProfiles) {
    const f = ctx.credentialFlags;
    const given = f.roleArn !== undefined ? '--role-arn' : f.useCvmRole ? '--use-cvm-role' : f.oidcProviderId !== undefined ? '--oidc-provider-id' : undefined;
    if (given) {
      throw new UsageError('Usage.Conflict', `${given} cannot be used with ${flags.profiles ? '--profiles' : '--all-profiles'}: each account's role comes from its profile ("role-arn")`, {
        hint: 'put "role-arn" in each profile file (~/.tccli/<profile>.credential), with the base key in the profile or in TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY',
      });
    }
  }
  let names: string[] | undefined;
  if (flags.profiles) names = parseProfiles(flags.profiles);
  if (flags.allProfiles) {
    names = await listProfiles(ctx.home);
    if (names.length === 0) {
      throw new UsageError('Credentials.Missing', `--all-profiles found no profiles in ${tildify(`${ctx.home}/.tccli`, ctx.home)} or ${tildify(sdkCredentialPath(ctx.home), ctx.home)}`, {
        hint: 'create one with "tccli configure --profile NAME"',
      });
    }
  }
  if (names === undefined) {
    const spec: AccountSpec = {
      name: ctx.globals.profile,
      credentials: async () => {
        const creds = await ctx.credentials();
        if (creds.source.startsWith('the environment')) spec.name = 'env';
        return creds;
      },
    };
    return { accounts: [spec], multi: false };
  }
  // Each profile through the whole chain: its own keys, or its role assumed once for the run (and refreshed).
  const accounts = names.map((profile) => ({ name: profile, credentials: ctx.credentialsOf(profile) }));
  return { accounts, multi: true };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The closing line of a single-account run. */
function singleOutcome(result: AccountResult, file: string, ctx: CommandContext): string {
  const color = ctx.terminal.outColor;
  const n = result.plan?.changes.length ?? 0;
  const id = result.requestId ? ` (RequestId ${result.requestId})` : '';
  switch (result.outcome) {
    case 'unchanged':
      return `${color.green('✔')} No changes: ${result.account} already matches ${file}${id}\n`;
    case 'changed':
      return `${color.green('✔')} Applied ${plural(n, 'change')} to ${result.account}${id}\n`;
    case 'drift':
      return `${color.yellow('✖')} Drift: ${plural(n, 'setting')} of ${result.account} ${n === 1 ? 'differs' : 'differ'} from ${file}${id}\n`;
    default:
      return `${plural(n, 'change')} would be applied to ${result.account}\n`;
  }
}

export async function imageScanApply(ctx: CommandContext, flags: ImageScanApplyFlags, command: 'apply' | 'diff'): Promise<number> {
  const mode: ApplyMode = command === 'diff' || flags.check ? 'check' : ctx.dryRun ? 'dry-run' : 'apply';
  const concurrency = parseConcurrency(flags.concurrency);
  // Run-wide settings (proxy, retry backoff) are checked once, before anything is read or sent.
  const reliable = reliableOptions(ctx);
  const policy = await loadPolicy(flags.file, { cwd: ctx.cwd, home: ctx.home, ...(flags.file === '-' ? { stdin: process.stdin } : {}) });
  const { accounts, multi } = await resolveAccounts(ctx, flags);
  // STS calls for the accounts' roles count against the same rate limit as the API calls.
  const limiter = new RateLimiter();
  ctx.useRateLimiter(limiter);
  // Each account in flight listens on the interrupt signal (rate-limit wait, request): not a leak.
  setMaxListeners(10 + 3 * concurrency, ctx.signal);
  const { out, err, outColor, errColor } = ctx.terminal;
  const json = ctx.globals.output === 'json';
  // Diffs go to stdout, except with --output json, where stdout holds only the JSON document.
  const [diffOut, diffColor] = json ? [err, errColor] : [out, outColor];
  const live = multi && err.isTTY;
  const clearLive = (): void => void (live && err.write('\r\x1b[2K'));
  // One terminal row, or clearing it (which clears one row) would leave the wrapped part behind.
  const fit = (text: string): string => (text.length < err.columns ? text : `${text.slice(0, Math.max(0, err.columns - 2))}…`);
  const total = accounts.length;

  const opts: RunOptions = {
    ctx,
    desired: policy.desired,
    file: policy.file,
    mode,
    concurrency,
    limiter,
    reliable,
    onDone: (result, done) => {
      if (live) err.write(`\r\x1b[2K${errColor.dim(fit(`${done}/${total} accounts done; last: ${result.account} ${result.outcome}`))}`);
      else if (multi && !json) out.write(accountLine(result, done, total, outColor));
    },
  };
  const counter = { done: 0 };
  if (live) err.write(errColor.dim(fit(`reading ${plural(total, 'account')}…`)));
  const planned: Planned[] = await readPlans(accounts, opts, counter);
  clearLive();

  const single = !multi ? planned[0] : undefined;
  // A text run on one account reports its failure as an ordinary error; with --output json every run, one account
  // or many, ends with the plan document on stdout (the account's outcome "failed", the exit code kept).
  const rethrow = !multi && !json;
  if (rethrow && single?.result?.outcome === 'failed') throw single.result.cause;
  const pending = pendingWrites(planned);
  // Asked in a terminal only, and never under CI=true (a CI runner with a terminal has nobody at it either).
  const ask = pending.length > 0 && !flags.yes && flags.file !== '-' && !isCi(ctx.env) && ctx.terminal.stdinIsTTY;
  if (!json || ask) {
    if (single?.plan) diffOut.write(`${policy.file} → ${single.spec.name}\n${renderPlan(single.plan, policy.file, diffColor)}`);
    // Many accounts: full diffs in a terminal; CI logs already have one line per account with its changes.
    else if (diffOut.isTTY || ask) {
      for (const p of planned) if (p.plan?.changes.length) diffOut.write(`\n${diffColor.bold(p.spec.name)}\n${renderPlan(p.plan, policy.file, diffColor)}`);
    }
  }
  if (mode === 'dry-run' && !json) {
    for (const p of planned) if (p.result?.dryRunRequest) out.write(`\n${multi ? `${p.spec.name}: ` : ''}${renderRequest(p.result.dryRunRequest)}`);
    err.write(`${errColor.dim('dry run: nothing was changed (signature redacted)')}\n`);
  }

  if (ask && !err.isTTY) {
    // The question goes to standard error: redirected, it would wait for an answer to a question nobody sees.
    throw new UsageError('Usage.NotATerminal', 'apply asks before writing, on standard error, which is not a terminal here; nothing was changed', {
      hint: 'pass --yes to apply without asking, or --dry-run to see what would be sent',
    });
  }
  if (ask) {
    const target = multi ? `${plural(pending.length, 'account')} (${pending.map((p) => p.spec.name).join(', ')})` : single?.spec.name ?? '';
    // Accounts that already failed are not in the question's count: say so, or "2 accounts" reads as all of them.
    const failed = planned.filter((p) => p.result?.outcome === 'failed').map((p) => p.spec.name);
    const also = failed.length ? ` (${failed.length === 1 ? `${failed[0]} already failed and is` : `${failed.join(', ')} already failed and are`} left out)` : '';
    let go = false;
    try {
      go = await confirmInTerminal({ message: `Apply these changes to ${target}?${also}`, signal: ctx.signal });
    } catch (error) {
      if (rethrow) throw error;
      cancelWrites(planned, error, counter, opts);
    }
    if (!go && pendingWrites(planned).length > 0) {
      const declined = new InterruptedError('Cancelled at the confirmation; nothing was changed.');
      if (rethrow) throw declined;
      cancelWrites(planned, declined, counter, opts);
    }
  }
  if (live && pendingWrites(planned).length > 0) err.write(errColor.dim(fit(`applying to ${plural(pendingWrites(planned).length, 'account')}…`)));
  await writePlans(planned, opts, counter);
  clearLive();

  const results = finalResults(planned);
  const exitCode = worstExitCode(results.map((r) => r.exitCode));
  const first = results[0] as AccountResult;
  if (rethrow && first.outcome === 'failed') throw first.cause;
  if (json) {
    const doc = planDocument({ command, mode, file: policy.file, desired: policy.desired, results, exitCode });
    out.write(`${JSON.stringify(doc, null, 2)}\n`);
  } else if (!multi) {
    out.write(singleOutcome(first, policy.file, ctx));
  } else {
    out.write(`\n${outcomeTable(results, outColor)}${summaryLine(results)}\n`);
  }
  return exitCode;
}
