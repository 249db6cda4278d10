/**
 * A small API peer for cases the emulator cannot express: HTTPS with a test certificate, and a server clock that
 * is off with a matching `Date` header (the emulator's clockOffsetSeconds does not change its Date header). It
 * answers through the emulator's own request handling, so signatures are verified for real.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { messageIn } from '../../src/emulator/api-failure.js';
import { answerApiRequest } from '../../src/emulator/api.js';
import { rawQueryOf } from '../../src/emulator/request.js';
import { RateLimiter } from '../../src/emulator/rate-limit.js';
import { readBody } from '../../src/emulator/read-body.js';
import { SettingsStore } from '../../src/emulator/state.js';
import type { EmulatorAccount } from '../../src/emulator/types.js';
import { ACCOUNT_A } from './emulator-client.js';

export interface ApiPeerOptions {
  tls?: { key: string; cert: string };
  /** The peer's clock is this many seconds ahead of ours (negative: behind); its Date header says so. */
  clockOffsetSeconds?: number;
  /** Leave out the Date header. */
  noDate?: boolean;
  accounts?: EmulatorAccount[];
}

export interface ApiPeer {
  url: string;
  port: number;
  /** X-TC-Timestamp of each API request received, and the error code answered. */
  requests: Array<{ timestamp: number; errorCode?: string }>;
  /** TLS handshakes that failed (the client refused the certificate). */
  tlsErrors: number;
  close(): Promise<void>;
}

export async function startApiPeer(options: ApiPeerOptions = {}): Promise<ApiPeer> {
  const accounts = new Map((options.accounts ?? [ACCOUNT_A]).map((a) => [a.secretId, a]));
  const store = await SettingsStore.load(undefined);
  const limiter = new RateLimiter(0);
  const offsetMs = (options.clockOffsetSeconds ?? 0) * 1000;
  const requests: ApiPeer['requests'] = [];
  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const read = await readBody(req);
    const serverNowMs = Date.now() + offsetMs;
    res.sendDate = false;
    if (!options.noDate) res.setHeader('Date', new Date(serverNowMs).toUTCString());
    const entry: ApiPeer['requests'][number] = { timestamp: Number(req.headers['x-tc-timestamp']) };
    requests.push(entry);
    const outcome = read.kind === 'ok' ? await answerApiRequest({ method: req.method ?? '', rawQuery: rawQueryOf(req.url ?? '/'), headers: req.headers, body: read.body }, { accounts, store, limiter, serverNowMs }) : undefined;
    const response = outcome?.ok ? outcome.response : { Error: outcome ? { Code: outcome.failure.code, Message: messageIn(outcome.failure.message, outcome.language) } : { Code: 'InvalidParameter', Message: 'bad body' } };
    if (!outcome?.ok) entry.errorCode = (response.Error as { Code: string }).Code;
    const body = JSON.stringify({ Response: { ...response, RequestId: randomUUID() } });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  };
  const server: Server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler) : createHttpServer(handler);
  const peer = { requests, tlsErrors: 0 } as ApiPeer;
  server.on('tlsClientError', () => (peer.tlsErrors += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  peer.port = (server.address() as AddressInfo).port;
  peer.url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${peer.port}`;
  peer.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return peer;
}
