/**
 * `tcss whoami`: STS GetCallerIdentity with the credentials the chain finds (docs/credentials.md): the account
 * (UIN), the ARN and type, where the credentials came from and, for temporary ones, when they expire. What a CI
 * log needs when a call is refused. `--output json` prints the API's fields.
 */
import { UsageError } from '../../core/errors.js';
import { printable } from '../../core/printable.js';
import type { CommandContext } from '../context.js';
import { table } from '../format.js';

function field(response: Record<string, unknown>, name: string): string {
  const value = response[name];
  return typeof value === 'string' || typeof value === 'number' ? printable(String(value), 300) : '-';
}

/** `in 59 min`, `in 2 h 5 min`, `expired 3 min ago`. */
export function untilText(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const text = minutes >= 60 ? `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ''}` : `${minutes} min`;
  return ms >= 0 ? `in ${text}` : `expired ${text} ago`;
}

export async function whoami(ctx: CommandContext): Promise<number> {
  if (ctx.dryRun) {
    throw new UsageError('Usage.Conflict', 'whoami changes nothing, so --dry-run has nothing to hold back', { hint: 'run "tcss whoami" without --dry-run' });
  }
  const credentials = await ctx.credentials();
  const response = await ctx.sts()({ action: 'GetCallerIdentity', body: {}, credentials });
  if (ctx.globals.output === 'json') {
    ctx.terminal.out.write(`${JSON.stringify(response, null, 2)}\n`);
    return 0;
  }
  const rows: Array<[string, string]> = [
    ['Account (UIN)', field(response, 'AccountId')],
    ['ARN', field(response, 'Arn')],
    ['Type', field(response, 'Type')],
    ['User ID', field(response, 'UserId')],
    ['Principal ID', field(response, 'PrincipalId')],
    ['SecretId', credentials.secretId],
    ['Credentials', credentials.source],
    [
      'Expires',
      credentials.expiresAt === undefined
        ? credentials.token
          ? 'unknown (temporary keys with a token)'
          : 'never (a permanent key)'
        : `${new Date(credentials.expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z')} (${untilText(credentials.expiresAt - ctx.now())})`,
    ],
    ['RequestId', field(response, 'RequestId')],
  ];
  ctx.terminal.out.write(table(rows, ctx.terminal.outColor));
  return 0;
}
