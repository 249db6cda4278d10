// send() reads an answer's body whole, bounded by maxBodyBytes: real HTTP servers on 127.0.0.1 that answer in
// chunks (no Content-Length, so only the running count can stop them), or cut the body off.
import { createServer, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { NetworkError } from '../../src/core/errors.js';
import { send } from '../../src/core/http/transport.js';

let server: Server | undefined;
let raw: TcpServer | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
  await new Promise((r) => (raw ? raw.close(r) : r(undefined)));
  raw = undefined;
});

/** A TCP server that answers the first request with these bytes and closes the connection. */
async function serveRaw(bytes: string): Promise<string> {
  raw = createTcpServer((socket) => {
    socket.once('data', () => socket.end(bytes));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => raw!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(raw.address() as AddressInfo).port}/`;
}

const failureOf = (promise: Promise<unknown>): Promise<NetworkError> =>
  promise.then(
    () => {
      throw new Error('the request succeeded');
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(NetworkError);
      return error as NetworkError;
    },
  );

/** A server whose every answer is written by `answer`; resolves with its URL and what it saw. */
async function serve(answer: (res: ServerResponse) => void): Promise<{ url: string; closed: Promise<void>; connections: string[] }> {
  let closedResolve: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (closedResolve = resolve));
  const connections: string[] = [];
  server = createServer((req, res) => {
    connections.push(String(req.headers.connection));
    res.on('close', closedResolve);
    req.resume();
    req.on('end', () => answer(res));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, closed, connections };
}

const post = (url: string) => ({ url, method: 'POST' as const, headers: { 'content-type': 'application/json' }, body: '{}' });

describe('send: the body, read whole and bounded', () => {
  it('joins a chunked answer in order, on a connection of its own that it asks the server to close', async () => {
    const { url, connections } = await serve((res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      for (const part of ['{"Res', 'ponse":', '{"RequestId":"r-1"}', '}']) res.write(part);
      res.end();
    });
    const answer = await send(post(url), { timeoutMs: 2000 });
    expect(answer.status).toBe(200);
    expect(answer.headers['transfer-encoding']).toBe('chunked');
    expect(answer.body.toString()).toBe('{"Response":{"RequestId":"r-1"}}');
    expect(connections).toEqual(['close']);
  });

  it('stops a chunked answer that grows over the limit, and closes the connection', async () => {
    let written = 0;
    const { url, closed } = await serve((res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const chunk = Buffer.alloc(512, 'x');
      // Bounded: 64 chunks (32 KiB) at most, one a millisecond, for a limit of 2000 bytes.
      const timer = setInterval(() => {
        if (res.destroyed || written >= 64) return void clearInterval(timer);
        written += 1;
        res.write(chunk);
      }, 1);
      res.on('close', () => clearInterval(timer));
    });
    const failure = await send(post(url), { timeoutMs: 5000, maxBodyBytes: 2000 }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(NetworkError);
    expect((failure as NetworkError).code).toBe('Network.TooLarge');
    expect((failure as NetworkError).message).toBe('the answer is over the 2000-byte limit, so it is not an answer from the API');
    await closed;
    expect(written).toBeLessThan(64);
  });

  it('a body cut off before its Content-Length is a reset connection, not a short answer', async () => {
    const { url } = await serve((res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': 100 });
      res.write('{"Response":', () => res.socket?.destroy());
    });
    const failure = await send(post(url), { timeoutMs: 2000 }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(NetworkError);
    expect((failure as NetworkError).code).toBe('Network.Reset');
    expect((failure as NetworkError).message).toMatch(/^the connection to 127\.0\.0\.1:\d+ was closed before the answer was complete$/);
  });

  it('a chunked body cut off half-way is a reset connection too', async () => {
    const { url } = await serve((res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"Response":', () => res.socket?.destroy());
    });
    const failure = await failureOf(send(post(url), { timeoutMs: 2000 }));
    expect(failure.code).toBe('Network.Reset');
    expect(failure.message).toMatch(/^the connection to 127\.0\.0\.1:\d+ was closed before the answer was complete$/);
  });

  it('an answer that breaks HTTP after its Content-Length is not taken for a cut-off body', async () => {
    const url = await serveRaw('HTTP/1.1 200 OK\r\nContent-Length: 10\r\nnot a header line\r\n\r\n0123456789');
    const failure = await failureOf(send(post(url), { timeoutMs: 2000 }));
    expect(failure.code).toBe('Network.Failed');
    expect(failure.message).not.toContain('closed before the answer was complete');
  });
});
