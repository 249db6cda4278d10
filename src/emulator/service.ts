/**
 * What the verifier needs to know about the emulated service: the name in the TC3 credential scope, the API
 * version, and the actions it accepts with their input fields. The request checks (verify-tc3.ts,
 * verify-v1.ts, request.ts) take this as a parameter, so another service (STS, say, with `sts`) can reuse
 * them unchanged.
 */
import { ACTION_INPUTS, API_VERSION, SERVICE, type WireField } from '../core/api-model.js';

export interface ServiceSpec {
  /** The service name in the TC3 credential scope, whatever the host (`tcss`). */
  name: string;
  /** The one API version accepted (X-TC-Version, or the v1 `Version` parameter). */
  version: string;
  /** Accepted actions and their input fields, in documented order. */
  actions: Readonly<Record<string, readonly WireField[]>>;
}

export const TCSS_SERVICE: ServiceSpec = { name: SERVICE, version: API_VERSION, actions: ACTION_INPUTS };

export function isActionOf(service: ServiceSpec, action: string | undefined): action is string {
  return action !== undefined && Object.hasOwn(service.actions, action);
}
