/**
 * Signature v1 (`HmacSHA1`, `HmacSHA256`) verification, as the service does it (docs/api.md#request-forms-the-service-accepts): the common
 * parameters travel with the action's own, in the query string of a GET or the form body of a POST.
 *
 *   string to sign = METHOD + host + "/?" + every parameter but Signature, sorted by name, "k=v" joined by
 *                    "&", not URL-encoded
 *   Signature      = base64(HMAC(SecretKey, string to sign))
 *
 * The host is accepted as sent in `Host` and without its port. The service's name and actions come from a
 * ServiceSpec; the common parameters are checked in the order below, each failure with the service's code.
 */
import { createHmac } from 'node:crypto';
import { pass, reject, SUPPORTED_LANGUAGES, type Checked } from './api-failure.js';
import { header, type ApiRequest } from './request.js';
import { isActionOf, type ServiceSpec } from './service.js';
import type { EmulatorAccount } from './types.js';
import { checkTimestamp, checkToken, hostCandidates, sameText, secretIdNotFound, signatureFailure } from './verify-tc3.js';

/** Parameters that belong to the protocol, not to the action. */
export const V1_COMMON_PARAMS: ReadonlySet<string> = new Set([
  'Action',
  'Version',
  'Region',
  'Timestamp',
  'Nonce',
  'SecretId',
  'SignatureMethod',
  'Signature',
  'Token',
  'Language',
  // Sent by both SDKs with their name and version.
  'RequestClient',
]);

const HASHES: Readonly<Record<string, 'sha1' | 'sha256'>> = { HmacSHA1: 'sha1', HmacSHA256: 'sha256' };

/** The v1 string to sign for these parameters (Signature excluded). */
export function v1StringToSign(method: string, host: string, params: ReadonlyMap<string, string>): string {
  const names = [...params.keys()].filter((n) => n !== 'Signature').sort();
  return `${method}${host}/?${names.map((n) => `${n}=${params.get(n) ?? ''}`).join('&')}`;
}

export function v1Signature(secretKey: string, method: 'HmacSHA1' | 'HmacSHA256', stringToSign: string): string {
  return createHmac(HASHES[method] ?? 'sha1', secretKey).update(stringToSign, 'utf8').digest('base64');
}

export interface V1Verified {
  account: EmulatorAccount;
  action: string;
  region: string | undefined;
  language: string | undefined;
}

function missing<T>(name: string): Checked<T> {
  return reject('MissingParameter', `The request is missing a required parameter \`${name}\`.`, `缺少必填参数 \`${name}\`。`);
}

export function verifyV1(
  req: ApiRequest,
  params: ReadonlyMap<string, string>,
  service: ServiceSpec,
  accounts: ReadonlyMap<string, EmulatorAccount>,
  nowSeconds: number,
): Checked<V1Verified> {
  const action = params.get('Action');
  if (action === undefined) return missing('Action');
  if (!isActionOf(service, action)) {
    return reject(
      'InvalidAction',
      `The action \`${action}\` is not found in service \`${service.name}\`.`,
      `服务 \`${service.name}\` 中不存在接口 \`${action}\`。`,
    );
  }
  const version = params.get('Version');
  if (version === undefined) return missing('Version');
  if (version !== service.version) {
    return reject(
      'NoSuchVersion',
      `The API version \`${version}\` of \`${action}\` does not exist; use ${service.version}.`,
      `接口 \`${action}\` 不存在版本 \`${version}\`，请使用 ${service.version}。`,
    );
  }
  for (const name of ['Timestamp', 'Nonce', 'SecretId', 'Signature']) if (!params.has(name)) return missing(name);
  const timestamp = checkTimestamp(params.get('Timestamp') ?? '', nowSeconds, 'Timestamp');
  if (!timestamp.ok) return timestamp;
  const nonce = params.get('Nonce') ?? '';
  if (!/^\d{1,20}$/.test(nonce) || /^0+$/.test(nonce)) {
    return reject(
      'InvalidParameterValue',
      `Nonce must be a positive integer, got ${JSON.stringify(nonce)}.`,
      `Nonce 必须为正整数，实际为 ${JSON.stringify(nonce)}。`,
    );
  }
  const method = params.get('SignatureMethod') ?? 'HmacSHA1';
  if (method !== 'HmacSHA1' && method !== 'HmacSHA256') {
    return reject(
      'InvalidParameterValue',
      `SignatureMethod must be HmacSHA1 or HmacSHA256, got ${JSON.stringify(method)}.`,
      `SignatureMethod 必须为 HmacSHA1 或 HmacSHA256，实际为 ${JSON.stringify(method)}。`,
    );
  }
  const account = accounts.get(params.get('SecretId') ?? '');
  if (account === undefined) return secretIdNotFound();
  const sent = params.get('Signature') ?? '';
  const host = header(req.headers, 'host') ?? '';
  const matches = hostCandidates(host).some((h) => sameText(v1Signature(account.secretKey, method, v1StringToSign(req.method, h, params)), sent));
  if (!matches) return signatureFailure();
  const token = checkToken(account, params.get('Token'));
  if (!token.ok) return token;
  const region = params.get('Region');
  if (region !== undefined && region.trim() === '') {
    return reject(
      'InvalidParameterValue',
      'The Region parameter is empty: give a region or leave it out.',
      'Region 参数为空：请填写地域，或不传该参数。',
    );
  }
  const language = params.get('Language');
  if (language !== undefined && !(SUPPORTED_LANGUAGES as readonly string[]).includes(language)) {
    return reject(
      'InvalidParameterValue',
      `Language must be one of ${SUPPORTED_LANGUAGES.join(', ')}, got ${JSON.stringify(language)}.`,
      `Language 必须为 ${SUPPORTED_LANGUAGES.join('、')} 之一，实际为 ${JSON.stringify(language)}。`,
    );
  }
  return pass({ account, action, region, language });
}
