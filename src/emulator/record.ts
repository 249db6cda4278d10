/**
 * What the emulator remembers and logs about each API request. Secrets never enter a record or a log line:
 * the Authorization signature, the X-TC-Token value and the v1 `Signature` and `Token` parameters (query or
 * form body) are redacted, and secret keys are never seen here. A record keeps at most MAX_RECORDED_BODY
 * bytes of the body; the log keeps the last MAX_RECORDS records.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { RecordedRequest } from './types.js';
import { parseTc3Authorization } from './verify-tc3.js';

export const REDACTED = '<redacted>';
/** The request log keeps this many records, dropping the oldest. */
export const MAX_RECORDS = 1000;
/** A record keeps this much of the body (as UTF-8 text); the rest is counted, not kept. */
export const MAX_RECORDED_BODY = 16 * 1024;
const SECRET_PARAMS: ReadonlySet<string> = new Set(['Signature', 'Token']);

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Lower-case headers with the signature and the token replaced by REDACTED. */
export function redactHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const text = single(value);
    if (text === undefined) continue;
    if (name === 'x-tc-token') out[name] = REDACTED;
    else if (name === 'authorization') out[name] = text.replace(/Signature=[^,\s]*/g, `Signature=${REDACTED}`);
    else out[name] = text;
  }
  return out;
}

function decodedName(piece: string): string {
  const name = piece.split('=')[0] ?? '';
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/** A query string or form body with the value of every `Signature` and `Token` parameter redacted. */
export function redactForm(text: string): string {
  return text
    .split('&')
    .map((piece) => (SECRET_PARAMS.has(decodedName(piece)) ? `${piece.split('=')[0] ?? ''}=${REDACTED}` : piece))
    .join('&');
}

/** The SecretId named in an Authorization header, even a malformed one. */
export function secretIdOf(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  return parseTc3Authorization(authorization)?.secretId ?? /Credential=([^/\s,]+)\//.exec(authorization)?.[1];
}

/** Who and what a v1 request names in its parameters. */
function fillFromParams(record: RecordedRequest, text: string): void {
  const params = new URLSearchParams(text);
  record.action ??= params.get('Action') ?? undefined;
  record.secretId ??= params.get('SecretId') ?? undefined;
  const region = params.get('Region');
  if (region !== null) record.region ??= region;
  const language = params.get('Language');
  if (language !== null) record.language ??= language;
  if ((params.get('Token') ?? '') !== '') record.token = true;
}

/** A record for a request that has just arrived; the body, status and outcome are filled in later. */
export function startRecord(headers: IncomingHttpHeaders, rawQuery: string, at: number): RecordedRequest {
  const record: RecordedRequest = {
    at,
    action: single(headers['x-tc-action']),
    secretId: secretIdOf(single(headers.authorization)),
    token: (single(headers['x-tc-token']) ?? '') !== '',
    headers: redactHeaders(headers),
    body: '',
    status: 0,
  };
  const region = single(headers['x-tc-region']);
  if (region !== undefined) record.region = region;
  const language = single(headers['x-tc-language']);
  if (language !== undefined) record.language = language;
  if (rawQuery !== '') {
    record.query = redactForm(rawQuery.slice(0, MAX_RECORDED_BODY));
    if (headers.authorization === undefined) fillFromParams(record, rawQuery);
  }
  return record;
}

/** Adds the body: redacted when it is a form, cut at MAX_RECORDED_BODY bytes. */
export function recordBody(record: RecordedRequest, body: Buffer, isForm: boolean): void {
  const text = body.subarray(0, MAX_RECORDED_BODY).toString('utf8');
  if (isForm) fillFromParams(record, body.toString('utf8'));
  record.body = isForm ? redactForm(text) : text;
  if (body.length > MAX_RECORDED_BODY) record.bodyTruncated = true;
}

/** Shows a value on a log line: printable ASCII as is, anything else (spaces included) escaped, at most 64. */
export function printable(value: string | undefined): string {
  if (value === undefined || value === '') return '-';
  const short = value.length > 64 ? value.slice(0, 64) : value;
  const escaped = short.replace(/[^\x21-\x5b\x5d-\x7e]/gu, (c) => {
    if (c === '\\') return '\\\\';
    const code = c.codePointAt(0) ?? 0;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
  return value.length > 64 ? `${escaped}…` : escaped;
}

/** `<ISO time> <action> <SecretId> <OK|error code|HTTP status|no answer> <RequestId>[ fault:<kind>]` */
export function formatLogLine(record: RecordedRequest): string {
  const outcome =
    record.errorCode ?? (record.status === 200 ? 'OK' : record.status === 0 ? 'no-answer' : `HTTP-${record.status}`);
  const fault = record.fault === undefined ? '' : ` fault:${record.fault}`;
  return `${new Date(record.at).toISOString()} ${printable(record.action)} ${printable(record.secretId)} ${printable(outcome)} ${printable(record.requestId)}${fault}`;
}
