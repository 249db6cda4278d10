/** What `image-scan apply`/`diff` prints: the field diff, per-account lines, the outcome table, the JSON plan. Pure. */
import type { Palette } from './io.js';
import type { FieldDiff, SettingsPlan } from '../core/settings/index.js';
import { SCOPE_NAMES, SETTING_FIELDS, toRequestBody } from '../core/settings/index.js';
import type { AccountResult, ApplyMode, Outcome } from './apply-run.js';
import { requestJson } from './format.js';

/** A value as the policy file would spell it: `true`, `02:30`, `7`, `selected (1)`, `[a, b]`, `(unset)`. */
export function diffValue(value: unknown, key?: string): string {
  if (value === undefined) return '(unset)';
  if (Array.isArray(value)) return `[${value.join(', ')}]`;
  if (key === 'scanScope' && typeof value === 'number') {
    const name = Object.keys(SCOPE_NAMES).find((k) => SCOPE_NAMES[k] === value);
    return name ? `${name} (${value})` : String(value);
  }
  return String(value);
}

function fieldLine(d: FieldDiff, width: number, file: string, color: Palette): string | undefined {
  const key = d.field.padEnd(width);
  if (d.status === 'change') {
    const note = d.note === 'default' ? color.dim(`  (default: not in ${file}, no current value)`) : '';
    return `  ${color.yellow('~')} ${key}  ${color.red(diffValue(d.current, d.field))} → ${color.green(diffValue(d.desired, d.field))}${note}`;
  }
  if (d.status === 'same') return `  ${color.dim('=')} ${key}  ${diffValue(d.desired, d.field)}`;
  if (d.current === undefined) return undefined;
  return color.dim(`    ${key}  ${diffValue(d.current, d.field)}  (kept: not in ${file})`);
}

/** The field-by-field diff: `~` changes, `=` already as the file says, and the fields the file leaves out. */
export function renderPlan(plan: SettingsPlan, file: string, color: Palette): string {
  const width = Math.max(...SETTING_FIELDS.map((f) => f.key.length));
  const lines = plan.fields.map((d) => fieldLine(d, width, file, color)).filter((l): l is string => l !== undefined);
  return `${lines.join('\n')}\n`;
}

/** `scanTime 01:00 → 02:30, scanVirus false → true` */
export function changeSummary(plan: SettingsPlan): string {
  return plan.changes.map((d) => `${d.field} ${diffValue(d.current, d.field)} → ${diffValue(d.desired, d.field)}`).join(', ');
}

const OUTCOME_TEXT: Readonly<Record<Outcome, string>> = {
  unchanged: 'unchanged',
  changed: 'changed',
  'would-change': 'would change',
  drift: 'drift',
  failed: 'failed',
};

function paint(outcome: Outcome, color: Palette): (s: string) => string {
  if (outcome === 'failed') return color.red;
  if (outcome === 'drift' || outcome === 'would-change') return color.yellow;
  if (outcome === 'changed') return color.green;
  return (s) => s;
}

/** The RequestId, or the error in one line. */
export function detail(result: AccountResult): string {
  if (result.error) {
    const e = result.error;
    return `${e.code}: ${e.message.split('\n')[0]}${e.requestId ? ` (RequestId ${e.requestId})` : ''}`;
  }
  return result.requestId ?? '';
}

/** One line per account, as CI logs show it: `[2/3] prod: changed (scanTime 01:00 → 02:30) RequestId …`. */
export function accountLine(result: AccountResult, done: number, total: number, color: Palette): string {
  const changes = result.plan?.changes.length && result.outcome !== 'unchanged' ? ` (${changeSummary(result.plan)})` : '';
  const tail = result.error ? detail(result) : result.requestId ? `RequestId ${result.requestId}` : '';
  return `[${done}/${total}] ${result.account}: ${paint(result.outcome, color)(OUTCOME_TEXT[result.outcome])}${changes}${tail ? ` ${tail}` : ''}\n`;
}

/** The closing table: account, its UIN (when roles tell it), outcome, RequestId or error. */
export function outcomeTable(results: readonly AccountResult[], color: Palette): string {
  const withUin = results.some((r) => r.uin !== undefined);
  const rows = results.map((r) => [...(withUin ? [r.account, r.uin ?? '-'] : [r.account]), OUTCOME_TEXT[r.outcome], detail(r)]);
  const header = [...(withUin ? ['ACCOUNT', 'UIN'] : ['ACCOUNT']), 'OUTCOME', 'REQUESTID / ERROR'];
  const widths = header.slice(0, -1).map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] as string).length)));
  const outcomeColumn = header.length - 2;
  const lines = [color.bold(header.map((h, c) => (c < widths.length ? h.padEnd(widths[c] as number) : h)).join('  '))];
  results.forEach((r, i) => {
    const cells = (rows[i] as string[]).map((cell, c) => {
      if (c >= widths.length) return cell;
      const padded = cell.padEnd(widths[c] as number);
      return c === outcomeColumn ? paint(r.outcome, color)(padded) : padded;
    });
    lines.push(cells.join('  ').trimEnd());
  });
  return `${lines.join('\n')}\n`;
}

/** `3 accounts: 1 changed, 1 unchanged, 1 failed` */
export function summaryLine(results: readonly AccountResult[]): string {
  const counts = new Map<Outcome, number>();
  for (const r of results) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  const parts = (Object.keys(OUTCOME_TEXT) as Outcome[]).filter((o) => counts.has(o)).map((o) => `${counts.get(o)} ${OUTCOME_TEXT[o]}`);
  return `${results.length} account${results.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

/** The machine-readable plan and result (`--output json`). */
export function planDocument(input: {
  command: 'apply' | 'diff';
  mode: ApplyMode;
  file: string;
  desired: object;
  results: readonly AccountResult[];
  exitCode: number;
}): object {
  const accounts = input.results.map((r) => {
    const entry: Record<string, unknown> = { account: r.account, ...(r.uin ? { uin: r.uin } : {}), outcome: r.outcome, exitCode: r.exitCode };
    if (r.plan) {
      entry.changes = r.plan.changes.map(({ field, current, desired }) => ({ field, current: current ?? null, desired: desired ?? null }));
      entry.fields = r.plan.fields.map((d) => ({ ...d, current: d.current ?? null, desired: d.desired ?? null }));
    }
    if (r.plan && r.plan.changes.length > 0 && input.mode !== 'check') {
      entry.write = { action: 'CreateAssetImageScanSetting', applied: r.outcome === 'changed', body: toRequestBody(r.plan.merged) };
    }
    if (r.dryRunRequest) entry.request = requestJson(r.dryRunRequest);
    if (r.requestId) entry.requestId = r.requestId;
    if (r.error) entry.error = r.error;
    return entry;
  });
  const summary: Record<string, number> = {};
  for (const r of input.results) summary[r.outcome] = (summary[r.outcome] ?? 0) + 1;
  return { command: input.command, mode: input.mode, file: input.file, desired: input.desired, accounts, summary, exitCode: input.exitCode };
}
