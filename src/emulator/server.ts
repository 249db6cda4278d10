/**
 * `startEmulator`: the local TCSS API peer on 127.0.0.1. It answers `/` like the real service, in every form
 * the official clients send (api.ts), serves the control API (control.ts), records the last API requests
 * (record.ts), and applies injected faults (faults.ts).
 * It reads no environment variable: accounts, clock and paths are all passed in.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { messageIn, languageOf, type Language } from './api-failure.js';
import { answerApiRequest, isV1Request, requestedLanguage } from './api.js';
import { CONTROL_PREFIX, handleControl } from './control.js';
import { delayOf, FaultQueue, PASS_THROUGH_KINDS, sendFault } from './faults.js';
import { RateLimiter } from './rate-limit.js';
import { readBody } from './read-body.js';
import { formatLogLine, MAX_RECORDS, recordBody, startRecord } from './record.js';
import { FORM_TYPE, mediaTypeOf, rawQueryOf, type ApiRequest } from './request.js';
import { redactWebIdentityToken, StsEmulator } from './sts.js';
import { handleMetadata, METADATA_PREFIX } from './metadata.js';
import { SettingsStore } from './state.js';
import type { Emulator, EmulatorAccount, EmulatorOptions, RecordedRequest } from './types.js';

const HOST = '127.0.0.1';
const DEFAULT_RATE_LIMIT = 20;

function checkOptions(options: EmulatorOptions): Map<string, EmulatorAccount> {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`port must be an integer from 0 to 65535, got ${port}`);
  if (options.accounts.length === 0) throw new RangeError('the emulator needs at least one account');
  const accounts = new Map<string, EmulatorAccount>();
  for (const account of options.accounts) {
    if (!/^[^/\s,]+$/.test(account.secretId)) throw new RangeError('a SecretId must be non-empty, without spaces, "/" or ","');
    if (account.secretKey === '') throw new RangeError(`the secret key of ${account.secretId} is empty`);
    if (accounts.has(account.secretId)) throw new RangeError(`the SecretId ${account.secretId} is given twice`);
    accounts.set(account.secretId, { ...account });
  }
  return accounts;
}

function apiJson(res: ServerResponse, response: Record<string, unknown>, traceId: string | undefined): void {
  const body = JSON.stringify({ Response: response });
  const headers: Record<string, string | number> = { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) };
  if (traceId !== undefined) headers['X-TC-TraceId'] = traceId;
  res.writeHead(200, headers);
  res.end(body);
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Starts the emulator; resolves once it listens. Throws on bad options, a damaged state file or a busy port. */
export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const accounts = checkOptions(options);
  const store = await SettingsStore.load(options.statePath);
  const now = options.now ?? Date.now;
  const offsetMs = (options.clockOffsetSeconds ?? 0) * 1000;
  const limiter = new RateLimiter(options.rateLimitPerSecond ?? DEFAULT_RATE_LIMIT);
  const faults = new FaultQueue();
  const log = options.log ?? ((): void => undefined);
  const closing = new AbortController();
  const requests: RecordedRequest[] = [];
  let baseUrl = '';
  const sts = new StsEmulator(accounts, options.sts);

  async function handleApi(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const rawQuery = rawQueryOf(req.url ?? '/');
    const record = startRecord(req.headers, rawQuery, now());
    requests.push(record);
    if (requests.length > MAX_RECORDS) requests.splice(0, requests.length - MAX_RECORDS);
    // The Date header tells the server's time, offset included, as the real service's does: clients use it to
    // correct clock skew.
    res.setHeader('Date', new Date(now() + offsetMs).toUTCString());
    const finish = (status: number, extra: Partial<RecordedRequest> = {}): void => {
      Object.assign(record, extra, { status });
      log(formatLogLine(record));
    };
    const read = await readBody(req);
    if (read.kind === 'aborted') return finish(0);
    const head = { method: req.method ?? '', rawQuery, headers: req.headers };
    const isForm = mediaTypeOf(typeof req.headers['content-type'] === 'string' ? req.headers['content-type'] : undefined) === FORM_TYPE;
    if (read.kind === 'ok') recordBody(record, read.body, isForm && isV1Request({ ...head, body: read.body }));
    record.body = redactWebIdentityToken(record.body);
    const language: Language = read.kind === 'ok' ? languageOf(requestedLanguage({ ...head, body: read.body })) : languageOf(record.language);
    const traceId = typeof req.headers['x-tc-traceid'] === 'string' ? req.headers['x-tc-traceid'] : undefined;
    const requestId = randomUUID();

    const fault = path === '/' ? faults.take(record.action) : undefined;
    if (fault !== undefined) {
      record.fault = fault.kind;
      const delay = delayOf(fault);
      if (delay > 0) {
        try {
          await sleep(delay, undefined, { signal: closing.signal });
        } catch {
          return finish(0);
        }
      }
      if (!PASS_THROUGH_KINDS.has(fault.kind)) {
        const answer = await sendFault(fault, res, requestId, baseUrl, language);
        return finish(answer.status, { errorCode: answer.errorCode, requestId: answer.requestId });
      }
    }
    const withId = fault?.kind !== 'no-request-id';
    const idFields = withId ? { RequestId: requestId } : {};
    const recordId = withId ? { requestId } : {};

    if (path !== '/') {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('404 Not Found\n');
      return finish(404);
    }
    if (read.kind === 'too-large') {
      // Answer at once and close: the rest of the body is discarded, not read into memory.
      res.setHeader('Connection', 'close');
      const failure = {
        Code: 'RequestSizeLimitExceeded',
        Message: language === 'zh-CN' ? '请求体超过 1 MiB 的大小限制。' : 'The request body exceeds the size limit of 1 MiB.',
      };
      apiJson(res, { Error: failure, ...idFields }, traceId);
      return finish(200, { errorCode: failure.Code, ...recordId });
    }
    const apiRequest: ApiRequest = { ...head, body: read.body };
    const outcome = sts.answer(apiRequest, now() + offsetMs) ?? sts.expiredKey(apiRequest.headers, now() + offsetMs, language) ?? await answerApiRequest(apiRequest, {
      accounts,
      store,
      limiter,
      serverNowMs: now() + offsetMs,
    });
    if (outcome.ok) {
      apiJson(res, { ...outcome.response, ...idFields }, traceId);
      return finish(200, recordId);
    }
    apiJson(res, { Error: { Code: outcome.failure.code, Message: messageIn(outcome.failure.message, outcome.language) }, ...idFields }, traceId);
    return finish(200, { errorCode: outcome.failure.code, ...recordId });
  }

  const emulator = {
    url: '',
    port: 0,
    requests,
    injectFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    resetRequests: () => {
      requests.length = 0;
    },
    settingsOf: (secretId) => store.stored(secretId),
    issuedSecrets: () => sts.issuedSecrets(),
    close: async () => {
      closing.abort();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  } satisfies Emulator;

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://emulator.invalid').pathname;
    if (path.startsWith(METADATA_PREFIX)) return void log(`${new Date(now()).toISOString()} metadata GET ${path} ${handleMetadata(req, res, path, sts, now() + offsetMs)}`);
    const handled = path.startsWith(CONTROL_PREFIX) ? handleControl(req, res, path, emulator, emulator.port) : handleApi(req, res, path);
    handled.catch((error: unknown) => {
      // A bug or a failed state write: answer like the service's InternalError, never with a stack.
      if (!res.headersSent) {
        const message = error instanceof Error ? error.message : String(error);
        const zh = languageOf(typeof req.headers['x-tc-language'] === 'string' ? req.headers['x-tc-language'] : undefined) === 'zh-CN';
        const text = zh ? `模拟器内部错误：${message}` : `Emulator error: ${message}`;
        apiJson(res, { Error: { Code: 'InternalError', Message: text }, RequestId: randomUUID() }, undefined);
      } else {
        res.destroy();
      }
    });
  });
  const port = await listen(server, options.port ?? 0);
  baseUrl = `http://${HOST}:${port}`;
  emulator.url = baseUrl;
  emulator.port = port;
  return emulator;
}
