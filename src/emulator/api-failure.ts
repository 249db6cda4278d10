/**
 * An error the emulated service answers as `{"Response":{"Error":{Code,Message},RequestId}}` with HTTP 200
 * (docs/api.md#responses-and-errors). Codes are the API's own.
 */
export interface ApiFailure {
  code: string;
  message: string;
}

/** Outcome of a check: the value it produced, or the API error to answer. */
export type Checked<T> = { ok: true; value: T } | { ok: false; failure: ApiFailure };

export function pass<T>(value: T): Checked<T> {
  return { ok: true, value };
}

export function reject<T = never>(code: string, message: string): Checked<T> {
  return { ok: false, failure: { code, message } };
}
