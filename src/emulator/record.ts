/**
 * What the emulator remembers and logs about each API request. Secrets never enter a record or a log line:
 * the Authorization signature and the X-TC-Token value are redacted, and secret keys are never seen here.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { parseAuthorization } from '../core/signer/index.js';
import type { RecordedRequest } from './types.js';

export const REDACTED = '<redacted>';

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

/** The SecretId named in an Authorization header, even a malformed one. */
export function secretIdOf(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  return parseAuthorization(authorization)?.secretId ?? /Credential=([^/\s,]+)\//.exec(authorization)?.[1];
}

/** A record for a request that has just arrived; status and outcome are filled in when it is answered. */
export function startRecord(headers: IncomingHttpHeaders, at: number): RecordedRequest {
  const record: RecordedRequest = {
    at,
    action: single(headers['x-tc-action']),
    secretId: secretIdOf(single(headers.authorization)),
    token: headers['x-tc-token'] !== undefined,
    headers: redactHeaders(headers),
    body: '',
    status: 0,
  };
  const region = single(headers['x-tc-region']);
  if (region !== undefined) record.region = region;
  const language = single(headers['x-tc-language']);
  if (language !== undefined) record.language = language;
  return record;
}

function printable(value: string | undefined): string {
  if (value === undefined || value === '') return '-';
  const clean = value.replace(/[^\x21-\x7e]/g, '?');
  return clean.length > 64 ? `${clean.slice(0, 64)}…` : clean;
}

/** `<ISO time> <action> <SecretId> <OK|error code|HTTP status|no answer> <RequestId>[ fault:<kind>]` */
export function formatLogLine(record: RecordedRequest): string {
  const outcome =
    record.errorCode ?? (record.status === 200 ? 'OK' : record.status === 0 ? 'no-answer' : `HTTP-${record.status}`);
  const fault = record.fault === undefined ? '' : ` fault:${record.fault}`;
  return `${new Date(record.at).toISOString()} ${printable(record.action)} ${printable(record.secretId)} ${outcome} ${printable(record.requestId)}${fault}`;
}
