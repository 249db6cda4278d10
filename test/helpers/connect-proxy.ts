/**
 * A real HTTP CONNECT proxy on 127.0.0.1 for proxy tests: it tunnels to loopback targets only (names under the
 * reserved `.test` domain stand for remote hosts and are tunnelled to 127.0.0.1 too), records every
 * CONNECT (target and whether credentials came), and can demand Basic credentials (407 otherwise) or refuse
 * every tunnel with a given status. With `tls`, it is an https:// proxy (TLS between client and proxy).
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface ConnectProxyOptions {
  /** "user:password" that Proxy-Authorization must carry. */
  credentials?: string;
  /** Answer every CONNECT with this status instead of tunnelling. */
  refuseWith?: number;
  /** Key and certificate: the proxy speaks TLS (an https:// proxy URL). */
  tls?: { key: string; cert: string };
}

export interface ConnectProxy {
  url: string;
  port: number;
  connects: Array<{ target: string; authorized: boolean; proxyAuthorization?: string }>;
  /** Plain (non-CONNECT) requests received: none are expected. */
  plainRequests: number;
  close(): Promise<void>;
}

export async function startConnectProxy(options: ConnectProxyOptions = {}): Promise<ConnectProxy> {
  const sockets = new Set<Socket>();
  const onPlain = (_req: unknown, res: ServerResponse): void => {
    proxy.plainRequests += 1;
    res.writeHead(405, { Connection: 'close' });
    res.end('CONNECT only\n');
  };
  const server: Server = options.tls ? createTlsServer(options.tls, onPlain) : createServer(onPlain);
  const proxy: ConnectProxy = { url: '', port: 0, connects: [], plainRequests: 0, close: async () => undefined };
  server.on(options.tls ? 'secureConnection' : 'connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    const header = req.headers['proxy-authorization'];
    const expected = options.credentials ? `Basic ${Buffer.from(options.credentials).toString('base64')}` : undefined;
    const authorized = expected === undefined || header === expected;
    proxy.connects.push({ target, authorized, ...(header ? { proxyAuthorization: header } : {}) });
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    const refuse = (status: number, text: string): void => {
      client.end(`HTTP/1.1 ${status} ${text}\r\nContent-Length: 0\r\nConnection: close\r\n${status === 407 ? 'Proxy-Authenticate: Basic realm="test"\r\n' : ''}\r\n`);
    };
    if (!authorized) return refuse(407, 'Proxy Authentication Required');
    if (options.refuseWith) return refuse(options.refuseWith, 'Refused');
    const match = /^(127\.0\.0\.1|localhost|[a-z0-9.-]+\.test):(\d+)$/.exec(target);
    if (!match) return refuse(403, 'Forbidden');
    const upstream = connect(Number(match[2]), '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.port = (server.address() as AddressInfo).port;
  proxy.url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${proxy.port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return proxy;
}
