/**
 * A stand-in for the CVM metadata service (docs/emulator.md): `GET /latest/meta-data/cam/security-credentials/`
 * answers the name of the role bound to the emulated instance (404 when none is, as on an instance without a role),
 * and `…/<role name>` fresh temporary keys in the role's account, issued by the STS emulator (sts.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StsEmulator } from './sts.js';

export const METADATA_PREFIX = '/latest/meta-data/';
const CREDENTIALS_PATH = '/latest/meta-data/cam/security-credentials/';
const INSTANCE_ROLE_SECONDS = 7200;

function text(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): number {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
  return status;
}

/** Answers a metadata request; returns the HTTP status sent. */
export function handleMetadata(req: IncomingMessage, res: ServerResponse, path: string, sts: StsEmulator, nowMs: number): number {
  if (req.method !== 'GET') return text(res, 405, 'Method Not Allowed\n');
  const roleArn = sts.cvmRole;
  const roleName = roleArn?.split('/').pop();
  if (path === CREDENTIALS_PATH) return roleName ? text(res, 200, roleName) : text(res, 404, 'Not Found\n');
  if (roleArn && roleName && path === `${CREDENTIALS_PATH}${roleName}`) {
    const issued = sts.issue(roleArn, `cvm-${Math.floor(nowMs / 1000)}`, 'cvm-instance', INSTANCE_ROLE_SECONDS, nowMs);
    const creds = issued.Credentials as Record<string, string>;
    return text(
      res,
      200,
      JSON.stringify({ ...creds, ExpiredTime: issued.ExpiredTime, Expiration: issued.Expiration, Code: 'Success' }),
      'application/json',
    );
  }
  return text(res, 404, 'Not Found\n');
}
