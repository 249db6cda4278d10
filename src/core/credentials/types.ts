/**
 * The values the credential providers hand around (docs/credentials.md). Providers never touch `process`:
 * the environment, the home directory, the clock and the network are passed in.
 */
import type { Env } from '../env.js';
import type { CredentialCache } from './source.js';

export interface Credentials {
  secretId: string;
  secretKey: string;
  /** Sent as X-TC-Token with temporary keys. */
  token?: string;
  /** Where they were read from, for `--debug`, `whoami` and error hints (never the values). */
  source: string;
  /** Unix ms when temporary keys stop working; unset for permanent keys. */
  expiresAt?: number;
  /** The role these keys act as, when they came from one. */
  roleArn?: string;
}

/** The STS actions tcss calls (docs/api.md#sts). */
export type StsAction = 'AssumeRole' | 'AssumeRoleWithWebIdentity' | 'GetCallerIdentity';

export interface StsRequest {
  action: StsAction;
  body: Record<string, unknown>;
  /** Signs the request; absent for AssumeRoleWithWebIdentity, which is sent with `Authorization: SKIP`. */
  credentials?: Credentials;
  /** X-TC-Region for this call (TKE_REGION), else the caller's default. */
  region?: string;
}

/** Sends one STS call and returns its `Response` object (an API error is thrown as ApiError). */
export type StsCaller = (request: StsRequest) => Promise<Record<string, unknown>>;

export interface HttpGetAnswer {
  status: number;
  body: string;
}

/** A plain GET (the CVM metadata service, the GitHub Actions token service). */
export type HttpGetter = (url: string, options: { headers?: Record<string, string>; purpose: 'metadata' | 'oidc' }) => Promise<HttpGetAnswer>;

/** What the user asked for on the command line (each may be undefined). */
export interface CredentialFlags {
  roleArn?: string;
  roleSessionName?: string;
  /** Seconds, as typed. */
  roleDuration?: string;
  useCvmRole?: boolean;
  oidcProviderId?: string;
  oidcAudience?: string;
  webIdentityTokenFile?: string;
}

export interface CredentialQuery {
  env: Env;
  /** Profile name; `default` unless chosen. */
  profile: string;
  /** True when the user chose the profile (flag, env or config): then the env keys are not used. */
  profileExplicit: boolean;
  /** Home directory whose ~/.tccli and ~/.tencentcloud are read. */
  home: string;
  flags?: CredentialFlags;
  /** Told one-line warnings (a credential file owned by another user). */
  warn?: (line: string) => void;
}

/** The network and the clock, for the providers that need them. */
export interface CredentialDeps {
  sts?: StsCaller;
  httpGet?: HttpGetter;
  /** Unix ms. */
  now: () => number;
  /** One entry per identity for the whole run: one STS call per identity, refreshed before expiry. */
  cache: CredentialCache;
  /** Learns every secret as soon as it is read or received (terminal redaction). */
  onSecret?: (value: string) => void;
  debug?: (line: string) => void;
}
