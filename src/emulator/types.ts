/**
 * Public types of the local TCSS API peer (`tcss emulator`). The emulator answers the two image-scan actions
 * the way the real service does (docs/api.md#actions-and-fields, docs/api.md#request-forms-the-service-accepts) and can be told to misbehave (faults).
 */
import type { StsOptions } from './sts.js';

/** One account the emulator knows: a SecretId, its key, and the session token it requires, if any. */
export interface EmulatorAccount {
  secretId: string;
  secretKey: string;
  /** When set, every request for this account must carry this X-TC-Token; when unset, none may. */
  token?: string;
  /** The account's UIN (STS GetCallerIdentity); by default 100000000001, 100000000002, … in order. */
  uin?: string;
  /** Where its settings are kept, when not under its SecretId: a role's keys act in the role's account. */
  settingsKey?: string;
}

export interface EmulatorOptions {
  /** 0 (the default) picks a free port. The emulator always listens on 127.0.0.1 only. */
  port?: number;
  /** At least one. */
  accounts: EmulatorAccount[];
  /**
   * JSON file holding the stored settings per SecretId, so they survive a restart. Written atomically with
   * mode 0600; it never contains a secret key or token. It must be a regular file of at most 16 MiB (or not
   * exist yet); temporary files a killed emulator left next to it are removed at start.
   */
  statePath?: string;
  /** Milliseconds clock, injectable for tests; defaults to `Date.now`. */
  now?: () => number;
  /** Emulates a server whose clock differs from ours by this many seconds (SignatureExpire tests). */
  clockOffsetSeconds?: number;
  /** Requests admitted per second per SecretId before RequestLimitExceeded; the API documents 20. 0 disables. */
  rateLimitPerSecond?: number;
  /** One line per API request; never contains a secret key, token or signature. */
  log?: (line: string) => void;
  /** STS and the CVM metadata stand-in: roles, identity providers and tokens accepted (sts.ts). */
  sts?: StsOptions;
}

/** One API request as the emulator received it, and what it answered. */
export interface RecordedRequest {
  /** Arrival time, from the injected clock (ms). */
  at: number;
  /** X-TC-Action as sent, or the v1 `Action` parameter. */
  action: string | undefined;
  /** SecretId from the Authorization header (or the v1 `SecretId` parameter), when there is one. */
  secretId: string | undefined;
  region?: string;
  /** Whether a non-empty session token was sent (X-TC-Token, or the v1 `Token` parameter). */
  token: boolean;
  language?: string;
  /** Lower-case header names; the Authorization signature and the X-TC-Token value are redacted. */
  headers: Record<string, string>;
  /** The query string as sent (v1 `Signature` and `Token` redacted), when there is one. */
  query?: string;
  /**
   * The body as UTF-8 text (v1 `Signature` and `Token` redacted), its first 16 KiB only; empty when it was
   * over the API's size limit.
   */
  body: string;
  /** Set when the body was longer than what `body` keeps. */
  bodyTruncated?: true;
  /** HTTP status sent; 0 when none was (stall, reset). */
  status: number;
  /** The API error code answered, if any. */
  errorCode?: string;
  requestId?: string;
  /** The injected fault kind that answered this request, if any. */
  fault?: string;
}

export const FAULT_KINDS = [
  'api-error',
  'status',
  'html',
  'not-json',
  'truncated-json',
  'no-response-key',
  'no-request-id',
  'huge-body',
  'invalid-utf8',
  'redirect',
  'stall-headers',
  'stall-body',
  'reset',
  'delay',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** A misbehaviour for the next matching API request(s). See faults.ts for what each kind does. */
export interface FaultSpec {
  kind: FaultKind;
  /** How many matching requests it answers; default 1. */
  times?: number;
  /** Only requests with this X-TC-Action match; default any. */
  action?: string;
  /** `api-error`: the error code (default InternalError). `status`: the HTTP status as a string. */
  code?: string;
  /** `api-error`: the error message. */
  message?: string;
  /** `status`: the HTTP status (wins over `code`); default 503. */
  status?: number;
  /** Wait this long before answering (every kind; `delay` defaults to 1000). */
  delayMs?: number;
}

export interface Emulator {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /**
   * The API requests received, in order, including faulted ones: the last 1000 (older ones are dropped).
   * Control requests are not recorded.
   */
  readonly requests: RecordedRequest[];
  /** Queues a fault; faults are consumed in order by the next matching API requests. */
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  resetRequests(): void;
  /**
   * The settings last stored by CreateAssetImageScanSetting for this SecretId (Describe shape, no RequestId), or
   * for `uin:<UIN>`: a role's account, written with keys its STS issued.
   */
  settingsOf(secretId: string): Record<string, unknown> | undefined;
  /** Every temporary secret key and token its STS issued (tests check that none is ever printed). */
  issuedSecrets(): string[];
  /** Stops listening and destroys every open connection, stalled ones included. */
  close(): Promise<void>;
}
