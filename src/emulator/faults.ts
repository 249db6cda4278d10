/**
 * Injected misbehaviour for robustness tests: a queue of FaultSpecs consumed in order by the next matching API
 * requests, and the answer each kind sends. Every kind first waits `delayMs` if given.
 *
 * | kind | answer |
 * |---|---|
 * | api-error | 200 `{"Response":{"Error":{Code,Message},RequestId}}` (code default InternalError; the default message in the caller's language) |
 * | status | the HTTP status (`status`, else `code`, else 503) with a short text/plain body |
 * | html | 502 text/html, an nginx-style "Bad Gateway" page |
 * | not-json | 200 text/plain, not JSON |
 * | truncated-json | 200 application/json, a complete HTTP message whose JSON stops half-way |
 * | no-response-key | 200 `{"RequestId":"…"}` without `Response` |
 * | no-request-id | the normal answer without `RequestId` |
 * | huge-body | 200 application/json, 32 MiB streamed from one reused chunk, honouring back-pressure |
 * | invalid-utf8 | 200 application/json with bytes that are not UTF-8 inside a string |
 * | redirect | 302, `Location: <url>/redirected` (which answers 404 if followed) |
 * | stall-headers | nothing at all, until the client gives up or close() |
 * | stall-body | 200 headers and the first half of a JSON body, then nothing until close() |
 * | reset | the socket is reset (RST) without an answer |
 * | delay | the normal answer after `delayMs` (default 1000) |
 */
import { once } from 'node:events';
import { STATUS_CODES, type ServerResponse } from 'node:http';
import { FAULT_KINDS, type FaultKind, type FaultSpec } from './types.js';

export const HUGE_BODY_BYTES = 32 * 1024 * 1024;
const HUGE_CHUNK_BYTES = 64 * 1024;
const DEFAULT_DELAY_MS = 1000;

/** Kinds that let the request be processed normally and only alter the timing or the answer. */
export const PASS_THROUGH_KINDS: ReadonlySet<FaultKind> = new Set<FaultKind>(['delay', 'no-request-id']);

/** Checks a FaultSpec from a caller or the control API; throws a TypeError naming the bad field. */
export function parseFaultSpec(value: unknown): FaultSpec {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError('a fault must be a JSON object');
  const spec = value as Record<string, unknown>;
  const known = new Set(['kind', 'times', 'action', 'code', 'message', 'status', 'delayMs']);
  for (const key of Object.keys(spec)) if (!known.has(key)) throw new TypeError(`unknown fault field "${key}"`);
  if (typeof spec.kind !== 'string' || !(FAULT_KINDS as readonly string[]).includes(spec.kind)) {
    throw new TypeError(`fault kind must be one of ${FAULT_KINDS.join(', ')}`);
  }
  const count = (name: string, min: number): void => {
    const v = spec[name];
    if (v !== undefined && !(typeof v === 'number' && Number.isSafeInteger(v) && v >= min)) {
      throw new TypeError(`fault ${name} must be an integer >= ${min}`);
    }
  };
  count('times', 1);
  count('delayMs', 0);
  for (const name of ['action', 'code', 'message']) {
    if (spec[name] !== undefined && typeof spec[name] !== 'string') throw new TypeError(`fault ${name} must be a string`);
  }
  if (spec.kind === 'status') statusOf(spec as unknown as FaultSpec);
  return spec as unknown as FaultSpec;
}

/** The HTTP status of a `status` fault. */
export function statusOf(spec: FaultSpec): number {
  const status = spec.status ?? (spec.code === undefined ? 503 : Number(spec.code));
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    throw new TypeError('a status fault needs an HTTP status from 200 to 599 (status, or code as a string)');
  }
  return status;
}

export function delayOf(spec: FaultSpec): number {
  return spec.delayMs ?? (spec.kind === 'delay' ? DEFAULT_DELAY_MS : 0);
}

/** Pending faults, in order. */
export class FaultQueue {
  #pending: { spec: FaultSpec; left: number }[] = [];

  add(spec: FaultSpec): void {
    const checked = parseFaultSpec(spec);
    this.#pending.push({ spec: { ...checked }, left: checked.times ?? 1 });
  }

  clear(): void {
    this.#pending = [];
  }

  /** The first pending fault for this action, consuming one of its times. */
  take(action: string | undefined): FaultSpec | undefined {
    const index = this.#pending.findIndex((p) => p.spec.action === undefined || p.spec.action === action);
    const entry = this.#pending[index];
    if (entry === undefined) return undefined;
    entry.left -= 1;
    if (entry.left <= 0) this.#pending.splice(index, 1);
    return entry.spec;
  }
}

export interface FaultAnswer {
  /** HTTP status sent, 0 for none. */
  status: number;
  errorCode?: string;
  requestId?: string;
}

function sendText(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

const BAD_GATEWAY_HTML =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n' +
  '<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/**
 * Answers a request with a fault that replaces the normal answer (not a PASS_THROUGH_KIND). `baseUrl` is the
 * emulator's own URL, for the redirect.
 */
export async function sendFault(
  spec: FaultSpec,
  res: ServerResponse,
  requestId: string,
  baseUrl: string,
  language: 'en-US' | 'zh-CN' = 'en-US',
): Promise<FaultAnswer> {
  switch (spec.kind) {
    case 'api-error': {
      const code = spec.code ?? 'InternalError';
      const fallback = language === 'zh-CN' ? '内部错误（由模拟器注入）。' : 'An internal error occurred (injected by the emulator).';
      const message = spec.message ?? fallback;
      const body = JSON.stringify({ Response: { Error: { Code: code, Message: message }, RequestId: requestId } });
      sendText(res, 200, 'application/json', body);
      return { status: 200, errorCode: code, requestId };
    }
    case 'status': {
      const status = statusOf(spec);
      sendText(res, status, 'text/plain; charset=utf-8', `${status} ${STATUS_CODES[status] ?? 'Error'}\n`);
      return { status };
    }
    case 'html':
      sendText(res, 502, 'text/html', BAD_GATEWAY_HTML);
      return { status: 502 };
    case 'not-json':
      sendText(res, 200, 'text/plain; charset=utf-8', 'upstream connect error or disconnect/reset before headers\n');
      return { status: 200 };
    case 'truncated-json': {
      const full = JSON.stringify({ Response: { RequestId: requestId, Enable: true, ScanTime: '00:00:00' } });
      sendText(res, 200, 'application/json', full.slice(0, Math.floor(full.length / 2)));
      return { status: 200, requestId };
    }
    case 'no-response-key':
      sendText(res, 200, 'application/json', JSON.stringify({ RequestId: requestId }));
      return { status: 200, requestId };
    case 'invalid-utf8': {
      const body = Buffer.concat([
        Buffer.from(`{"Response":{"RequestId":"${requestId}","ScanResult":"`),
        Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
        Buffer.from('"}}'),
      ]);
      sendText(res, 200, 'application/json', body);
      return { status: 200, requestId };
    }
    case 'redirect':
      res.writeHead(302, { Location: `${baseUrl}/redirected`, 'Content-Length': 0 });
      res.end();
      return { status: 302 };
    case 'huge-body':
      await streamHugeBody(res);
      return { status: 200 };
    case 'stall-headers':
      return { status: 0 };
    case 'stall-body': {
      const full = JSON.stringify({ Response: { RequestId: requestId } });
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(full) });
      res.write(full.slice(0, Math.floor(full.length / 2)));
      return { status: 200, requestId };
    }
    case 'reset':
      res.socket?.resetAndDestroy();
      return { status: 0 };
    case 'delay':
    case 'no-request-id':
      throw new Error(`fault ${spec.kind} does not replace the answer`);
  }
}

/** Streams HUGE_BODY_BYTES from one reused chunk; stops as soon as the client goes away. */
async function streamHugeBody(res: ServerResponse): Promise<void> {
  const prefix = Buffer.from('{"Response":{"Padding":"');
  const chunk = Buffer.alloc(HUGE_CHUNK_BYTES, 'x');
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': HUGE_BODY_BYTES });
  res.write(prefix);
  let left = HUGE_BODY_BYTES - prefix.length;
  const closed = once(res, 'close').then(
    () => 'closed' as const,
    () => 'closed' as const,
  );
  while (left > 0 && !res.destroyed) {
    const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
    left -= piece.length;
    if (!res.write(piece)) {
      const drained = once(res, 'drain').then(
        () => 'drained' as const,
        () => 'closed' as const,
      );
      if ((await Promise.race([drained, closed])) === 'closed') return;
    }
  }
  res.end();
}
