/**
 * Validates a request body against the wire model (src/core/api-model.ts) the way the service does, with the
 * service's error codes (docs/api.md#actions-and-fields, docs/api.md#responses-and-errors). The model is the one table; nothing here repeats field names.
 */
import { ACTION_INPUTS, type ActionName, type WireField, type WireType } from '../core/api-model.js';
import { pass, reject, type Checked } from './api-failure.js';

/** `HH:MM` or `HH:MM:SS`, 24-hour. */
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;
/** Fields whose string value must be a time of day. */
const TIME_FIELDS: ReadonlySet<string> = new Set(['ScanTime', 'ScanEndTime']);

function hasType(value: unknown, type: WireType): boolean {
  switch (type) {
    case 'Boolean':
      return typeof value === 'boolean';
    case 'String':
      return typeof value === 'string';
    case 'Integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'Array of String':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
  }
}

function checkValue(field: WireField, value: unknown): Checked<undefined> {
  if (!hasType(value, field.type)) {
    return reject('InvalidParameter', `The parameter \`${field.name}\` must be of type ${field.type}.`);
  }
  if (field.type === 'Integer') {
    const n = value as number;
    const min = field.min ?? Number.MIN_SAFE_INTEGER;
    const max = field.max ?? Number.MAX_SAFE_INTEGER;
    if (n < min || n > max) {
      const range = field.max === undefined ? `>= ${min}` : `[${min}, ${max}]`;
      return reject('InvalidParameterValue.DataRange', `The value ${n} of \`${field.name}\` is out of range ${range}.`);
    }
  }
  if (TIME_FIELDS.has(field.name) && !TIME_RE.test(value as string)) {
    return reject(
      'InvalidParameter.InvalidFormat',
      `The value of \`${field.name}\` must be a time HH:MM or HH:MM:SS, got ${JSON.stringify(value)}.`,
    );
  }
  return pass(undefined);
}

/**
 * Parses and checks the body of `action`. Order: JSON object, unknown parameters, missing required ones, then
 * each field's type and value in the documented order. Returns the parsed object.
 */
export function validateBody(action: ActionName, body: string): Checked<Record<string, unknown>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return reject('InvalidParameter.ParsingError', 'The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return reject('InvalidParameter.ParsingError', 'The request body must be a JSON object.');
  }
  const input = parsed as Record<string, unknown>;
  const fields = ACTION_INPUTS[action];
  const byName = new Map(fields.map((f) => [f.name, f]));
  for (const name of Object.keys(input)) {
    if (!byName.has(name)) return reject('UnknownParameter', `The parameter \`${name}\` is not recognized.`);
  }
  for (const field of fields) {
    if (field.required && !Object.hasOwn(input, field.name)) {
      return reject('MissingParameter', `The request is missing a required parameter \`${field.name}\`.`);
    }
  }
  for (const field of fields) {
    if (!Object.hasOwn(input, field.name)) continue;
    const checked = checkValue(field, input[field.name]);
    if (!checked.ok) return checked;
  }
  return pass(input);
}

/** `HH:MM` → `HH:MM:SS`, the form the read API answers (docs/api.md#actions-and-fields). */
export function toLongTime(value: string): string {
  return /^\d\d:\d\d$/.test(value) ? `${value}:00` : value;
}
