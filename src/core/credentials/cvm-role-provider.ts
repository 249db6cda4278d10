/**
 * The CVM instance role (docs/credentials.md): the role bound to the Tencent Cloud server tcss runs on, read from
 * the metadata service. Only when asked (--use-cvm-role, or a tccli profile of type cvm-role): tcss never probes
 * the metadata service on its own.
 */
import { TcssError, UsageError } from '../errors.js';
import { printable } from '../printable.js';
import type { CredentialSource } from './source.js';
import type { CredentialDeps, Credentials } from './types.js';

export const DEFAULT_METADATA_ENDPOINT = 'http://metadata.tencentyun.com';
export const METADATA_ROLE_PATH = '/latest/meta-data/cam/security-credentials/';

/** The metadata service's origin: TCSS_METADATA_ENDPOINT, else metadata.tencentyun.com over plain HTTP. */
export function metadataEndpoint(value: string | undefined): string {
  const raw = value?.trim() || DEFAULT_METADATA_ENDPOINT;
  let url: URL;
  try {
    url = new URL(/^[a-z]+:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    throw new UsageError('Usage.InvalidValue', `TCSS_METADATA_ENDPOINT ${JSON.stringify(printable(raw, 120))} is not a host or URL`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search) {
    throw new UsageError('Usage.InvalidValue', `TCSS_METADATA_ENDPOINT ${JSON.stringify(printable(raw, 120))} must be an http:// or https:// origin without a path`);
  }
  return url.origin;
}

function offCvm(origin: string, error: unknown): UsageError {
  const why = error instanceof TcssError ? error.message : 'no answer';
  return new UsageError('Credentials.NoInstanceRole', `the CVM metadata service ${new URL(origin).host} did not answer (${why}): tcss does not seem to run on a Tencent Cloud CVM`, {
    cause: error,
    hint: 'use --use-cvm-role (or a cvm-role profile) only on a CVM; elsewhere use keys, --role-arn or OIDC',
  });
}

function noRole(): UsageError {
  return new UsageError('Credentials.NoInstanceRole', 'no CAM role is bound to this CVM instance (the metadata service has no security credentials)', {
    hint: 'bind a role to the instance in the CVM console (Instance → More → Instance settings → Bind role), or use other credentials',
  });
}

export function cvmRoleSource(origin: string, from: string): CredentialSource {
  const describe = `the CVM instance role (${from}, metadata service ${new URL(origin).host})`;
  return {
    describe,
    provider: 'cvm-role',
    resolve: (deps: CredentialDeps) =>
      deps.cache.get(`CvmRole|${origin}`, deps.now, async (): Promise<Credentials> => {
        if (!deps.httpGet) throw new Error('no HTTP client was given to the credential chain');
        const get = async (path: string) => {
          try {
            return await deps.httpGet!(`${origin}${path}`, { purpose: 'metadata' });
          } catch (error) {
            throw offCvm(origin, error);
          }
        };
        deps.debug?.(`credentials: asking the CVM metadata service ${origin} for the instance role`);
        const list = await get(METADATA_ROLE_PATH);
        if (list.status === 404) throw noRole();
        if (list.status !== 200) throw offCvm(origin, new UsageError('Network.BadStatus', `HTTP ${list.status}`));
        const roleName = list.body.split(/\r?\n/)[0]?.trim() ?? '';
        if (roleName === '') throw noRole();
        if (!/^[\w+=,.@-]{1,128}$/.test(roleName)) throw offCvm(origin, new UsageError('Network.BadResponse', 'an answer that is not a role name'));
        const answer = await get(`${METADATA_ROLE_PATH}${encodeURIComponent(roleName)}`);
        if (answer.status === 404) throw noRole();
        let doc: Record<string, unknown> | undefined;
        try {
          doc = JSON.parse(answer.body) as Record<string, unknown>;
        } catch {
          doc = undefined;
        }
        const id = doc?.TmpSecretId;
        const key = doc?.TmpSecretKey;
        const token = doc?.Token;
        if (typeof key === 'string') deps.onSecret?.(key);
        if (typeof token === 'string') deps.onSecret?.(token);
        if (answer.status !== 200 || doc?.Code !== 'Success' || typeof id !== 'string' || typeof key !== 'string' || typeof token !== 'string' || !/^[\x21-\x7e]+$/.test(id + key + token)) {
          throw new UsageError('Credentials.NoInstanceRole', `the CVM metadata service gave no usable keys for the role ${roleName}${typeof doc?.Code === 'string' ? ` (Code ${printable(doc.Code, 60)})` : ''}`, {
            hint: 'check the role bound to the instance in the CVM console, then try again',
          });
        }
        const creds: Credentials = { secretId: id, secretKey: key, token, source: `${describe}: role ${roleName}` };
        if (typeof doc.ExpiredTime === 'number') creds.expiresAt = doc.ExpiredTime * 1000;
        deps.debug?.(`credentials: instance role ${roleName}, SecretId ${id}${creds.expiresAt ? `, expire ${new Date(creds.expiresAt).toISOString()}` : ''}`);
        return creds;
      }),
  };
}
