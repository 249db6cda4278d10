/** Text the front end prints: tables, requests, errors. Pure functions from values to strings. */
import type { Palette } from './io.js';
import { ApiError, TcssError } from '../core/errors.js';
import { SETTING_FIELDS, formatValue, sameValue, type CurrentSettings, type ImageScanSettings } from '../core/settings/index.js';
import type { PreparedRequest } from '../core/api/index.js';
import { redactHeaders } from '../core/redact.js';

/** Two aligned columns. */
export function table(rows: ReadonlyArray<readonly [string, string]>, color?: Palette): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${color ? color.dim(k.padEnd(width)) : k.padEnd(width)}  ${v}`).join('\n') + '\n';
}

/** Settings as rows; fields not set are left out (or shown as "-" with `all`). */
export function settingsRows(settings: Partial<ImageScanSettings>, all = false): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  for (const field of SETTING_FIELDS) {
    const value = settings[field.key];
    if (value === undefined && !all) continue;
    rows.push([field.label, formatValue(field, value)]);
  }
  return rows;
}

/**
 * Settings as rows, every field; with the current settings, each value marked `changed (was …)` or `kept`.
 */
export function markedSettingsRows(settings: Partial<ImageScanSettings>, current: CurrentSettings | undefined, color?: Palette): Array<[string, string]> {
  const rows = settingsRows(settings, true);
  if (!current) return rows;
  const paint = color ?? { yellow: (s: string) => s, dim: (s: string) => s };
  // The marks start in one column (values are short; a long list just pushes its own mark out).
  const width = Math.min(32, Math.max(...rows.map(([, value]) => value.length)));
  return rows.map(([label, value], i) => {
    const field = SETTING_FIELDS[i] as (typeof SETTING_FIELDS)[number];
    const was = current[field.key];
    const same = current.unreadable?.[field.key] === undefined && sameValue(field, settings[field.key], was);
    return [label, `${value.padEnd(width)}  ${same ? paint.dim('kept') : paint.yellow(`changed (was ${formatValue(field, was)})`)}`];
  });
}

/** What `image-scan get` shows. */
export function currentSettingsTable(current: CurrentSettings, requestId: string, color?: Palette): string {
  const rows = settingsRows(current, true);
  // A value tcss cannot read is shown as the server sent it, not as a blank.
  for (const [i, field] of SETTING_FIELDS.entries()) {
    const raw = current.unreadable?.[field.key];
    if (raw !== undefined) rows[i] = [field.label, `${raw} (not a value tcss knows)`];
  }
  const last = current.lastScanTime ? `${current.lastScanTime}${current.scanResult ? ` (${current.scanResult})` : ''}` : 'never';
  rows.push(['Last scan', last]);
  rows.push(['RequestId', requestId]);
  return table(rows, color);
}

/** A request as it goes out, signature and token redacted (dry run). */
export function renderRequest(req: PreparedRequest): string {
  const url = new URL(req.url);
  const lines = [`${req.method} ${req.url}`, `Host: ${url.host}`];
  for (const [name, value] of Object.entries(redactHeaders(req.headers))) lines.push(`${name}: ${value}`);
  return `${lines.join('\n')}\n\n${req.body}\n`;
}

/** The JSON form of a dry run. */
export function requestJson(req: PreparedRequest): object {
  const url = new URL(req.url);
  return {
    dryRun: true,
    signed: req.signature !== undefined,
    method: req.method,
    url: req.url,
    headers: { Host: url.host, ...redactHeaders(req.headers) },
    body: JSON.parse(req.body) as unknown,
  };
}

export interface ErrorReport {
  code: string;
  message: string;
  requestId?: string;
  hint?: string;
  exitCode: number;
}

/** Hints for API errors a person can act on (docs/api.md#responses-and-errors, docs/api.md#credential-and-config-conventions). */
export function apiHint(error: ApiError): string | undefined {
  const code = error.code;
  if (code === 'AuthFailure.SignatureExpire') return 'the request timestamp is more than 5 minutes off the server\'s: check this machine\'s clock (e.g. enable NTP)';
  if (code === 'AuthFailure.SecretIdNotFound' || code === 'AuthFailure.SignatureFailure' || code === 'AuthFailure.InvalidSecretId') {
    return 'check the SecretId/SecretKey pair: a typo, a deleted key, or one pasted with extra characters; --debug shows where tcss read them';
  }
  if (code === 'AuthFailure.TokenFailure') return 'temporary credentials expired or do not match the key: get a fresh token';
  if (code === 'AuthFailure.UnauthorizedOperation' || code.startsWith('UnauthorizedOperation')) {
    const actions = error.action ? `action tcss:${error.action}` : 'actions tcss:DescribeAssetImageScanSetting and tcss:CreateAssetImageScanSetting';
    return `the key lacks permission: grant the CAM ${actions} to its user or role`;
  }
  if (code.startsWith('RequestLimitExceeded')) return 'too many requests: wait a moment and try again';
  if (code === 'FailedOperation.AuthorizedNotEnough') return 'not enough TCSS licenses are authorized for this scan';
  if (code === 'UnsupportedRegion') return 'choose another --region, or leave it unset';
  return undefined;
}

export function toReport(error: unknown, exitCode: number): ErrorReport {
  if (error instanceof ApiError) {
    const report: ErrorReport = { code: error.code, message: error.message || 'the API returned an error', exitCode };
    if (error.requestId) report.requestId = error.requestId;
    const hint = error.hint ?? apiHint(error);
    if (hint) report.hint = hint;
    return report;
  }
  if (error instanceof TcssError) {
    const report: ErrorReport = { code: error.code, message: error.message, exitCode };
    if (error.hint) report.hint = error.hint;
    return report;
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    code: 'Internal',
    message: `unexpected error: ${message.split('\n')[0]}`,
    hint: 'this is a bug in tcss: please report it with the output of the same command run with --debug',
    exitCode,
  };
}

/** `Error [Code]: message (RequestId …)` and, when one helps, a hint line. */
export function renderError(report: ErrorReport, color?: Palette): string {
  const head = `Error [${report.code}]: ${report.message}${report.requestId ? ` (RequestId ${report.requestId})` : ''}`;
  const line = color ? color.red(head) : head;
  return `${line}\n${report.hint ? `${color ? color.yellow('hint') : 'hint'}: ${report.hint}\n` : ''}`;
}
