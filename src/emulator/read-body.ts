/**
 * Reads a request body up to the API's size limit. Past the limit the bytes are no longer kept (the caller
 * answers RequestSizeLimitExceeded at once); they are discarded so the client can read that answer, and the
 * connection is dropped if the client keeps sending far beyond it.
 */
import type { IncomingMessage } from 'node:http';

/** The API rejects bodies over 1 MiB (RequestSizeLimitExceeded). */
export const MAX_BODY_BYTES = 1024 * 1024;
/** How much more we discard after the limit before hanging up. */
const MAX_DISCARD_BYTES = 16 * 1024 * 1024;

export type BodyResult = { kind: 'ok'; body: Buffer } | { kind: 'too-large' } | { kind: 'aborted' };

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    const discardAfterLimit = (): void => {
      over = true;
      chunks.length = 0;
      resolve({ kind: 'too-large' });
    };
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) discardAfterLimit();
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (over) {
        if (size > limit + MAX_DISCARD_BYTES) req.destroy();
        return;
      }
      if (size > limit) return discardAfterLimit();
      chunks.push(chunk);
    });
    req.on('end', () => resolve({ kind: 'ok', body: Buffer.concat(chunks) }));
    req.on('error', () => resolve({ kind: 'aborted' }));
    req.on('close', () => resolve({ kind: 'aborted' }));
  });
}
