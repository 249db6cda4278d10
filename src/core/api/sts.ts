/**
 * The STS client the credential chain is given (docs/credentials.md): STS calls go out like every TCSS call —
 * signed with TC3 (credential-scope service `sts`, whatever the host), through the proxy that applies, with the
 * timeouts, retries and clock-skew correction of reliable-call.ts, and each attempt waiting for the rate limit
 * when one is shared. AssumeRoleWithWebIdentity is sent unsigned, with `Authorization: SKIP`.
 */
import { DEFAULT_STS_REGION, STS_SERVICE, STS_VERSION } from '../api-model.js';
import type { StsCaller } from '../credentials/index.js';
import type { Endpoint } from '../http/index.js';
import type { ApiCall } from './client.js';
import { callApiReliably, type ReliableCallOptions } from './reliable-call.js';

export interface StsClientOptions {
  endpoint: Endpoint;
  /** X-TC-Region; the SDKs' default when unset. */
  region?: string;
  reliable: ReliableCallOptions;
}

export function createStsCaller(options: StsClientOptions): StsCaller {
  return async (request) => {
    const call: Omit<ApiCall, 'now'> = {
      action: request.action,
      service: { name: STS_SERVICE, version: STS_VERSION },
      body: request.body,
      endpoint: options.endpoint,
      region: request.region ?? options.region ?? DEFAULT_STS_REGION,
    };
    if (request.credentials) call.credentials = request.credentials;
    else call.skipAuthorization = true;
    const reliable = options.reliable.debug ? { ...options.reliable, debug: (line: string) => options.reliable.debug?.(`[sts ${request.action}] ${line}`) } : options.reliable;
    return callApiReliably(call, reliable);
  };
}
