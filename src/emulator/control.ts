/**
 * The emulator's own HTTP control API, for tests and scripts in another process. The real service only
 * answers `POST /`, so these paths cannot clash with it. Control requests are not recorded.
 *
 * GET    /_emulator/requests  → 200, JSON array of RecordedRequest
 * DELETE /_emulator/requests  → 204
 * POST   /_emulator/faults    → 200 {"queued": n}; body: a FaultSpec or an array of them (all or none queued)
 * DELETE /_emulator/faults    → 204
 *
 * Only a local program may drive it: a request whose `Host` is not the emulator's own loopback address
 * (`127.0.0.1:PORT` or `localhost:PORT`), or that carries an `Origin` other than that address, is refused
 * with 403. A web page the user visits cannot reach it (its requests carry the page's Origin), nor can one
 * behind a DNS name rebound to 127.0.0.1 (its requests carry that name as Host).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseFaultSpec } from './faults.js';
import { readBody } from './read-body.js';
import type { FaultSpec, RecordedRequest } from './types.js';

export const CONTROL_PREFIX = '/_emulator/';

export interface ControlTarget {
  requests: readonly RecordedRequest[];
  resetRequests(): void;
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function noContent(res: ServerResponse): void {
  res.writeHead(204);
  res.end();
}

/** Whether a control request comes from a local program talking to this emulator (port `port`) by address. */
export function isLocalCaller(req: IncomingMessage, port: number): boolean {
  const own = [`127.0.0.1:${port}`, `localhost:${port}`];
  const host = req.headers.host?.toLowerCase();
  if (host === undefined || !own.includes(host)) return false;
  const origin = req.headers.origin;
  return origin === undefined || own.some((h) => origin.toLowerCase() === `http://${h}`);
}

export async function handleControl(req: IncomingMessage, res: ServerResponse, path: string, target: ControlTarget, port: number): Promise<void> {
  if (!isLocalCaller(req, port)) {
    res.setHeader('Connection', 'close');
    return sendJson(res, 403, { error: 'the control API answers only requests to 127.0.0.1:PORT or localhost:PORT without a foreign Origin' });
  }
  const route = `${req.method ?? ''} ${path}`;
  switch (route) {
    case 'GET /_emulator/requests':
      return sendJson(res, 200, target.requests);
    case 'DELETE /_emulator/requests':
      target.resetRequests();
      return noContent(res);
    case 'DELETE /_emulator/faults':
      target.clearFaults();
      return noContent(res);
    case 'POST /_emulator/faults': {
      const read = await readBody(req);
      if (read.kind !== 'ok') return sendJson(res, 413, { error: 'fault body too large or aborted' });
      let specs: FaultSpec[];
      try {
        const parsed: unknown = JSON.parse(read.body.toString('utf8'));
        specs = (Array.isArray(parsed) ? parsed : [parsed]).map(parseFaultSpec);
      } catch (error) {
        return sendJson(res, 400, { error: error instanceof Error ? error.message : String(error) });
      }
      for (const spec of specs) target.injectFault(spec);
      return sendJson(res, 200, { queued: specs.length });
    }
    default:
      if (path === '/_emulator/requests' || path === '/_emulator/faults') {
        res.setHeader('Allow', path.endsWith('faults') ? 'POST, DELETE' : 'GET, DELETE');
        return sendJson(res, 405, { error: `${req.method ?? ''} is not allowed on ${path}` });
      }
      return sendJson(res, 404, { error: `no control endpoint ${path}` });
  }
}
