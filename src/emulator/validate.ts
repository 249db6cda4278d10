/**
 * Validates an action's input against the wire model (src/core/api-model.ts) the way the service does, with
 * the service's error codes (docs/api.md#actions-and-fields, docs/api.md#responses-and-errors). The model is the one table; nothing here repeats its field names
 * except the two time fields, whose values the service documents:
 *  - `ScanTime`: `HH:MM`, `HH:MM:SS`, or a full date-time `YYYY-MM-DD HH:MM:SS` (the seed's own example) of
 *    which the time of day is kept, in UTC;
 *  - `ScanEndTime`: the same, or `""` for no end time (what Describe answers when none is set).
 */
import type { WireField, WireType } from '../core/api-model.js';
import { pass, reject, type Checked } from './api-failure.js';

/** `HH:MM` or `HH:MM:SS`, 24-hour. */
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;
/** `YYYY-MM-DD HH:MM[:SS]` (or with `T`, and an optional `Z`): a UTC date-time. */
const DATE_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})[ T](([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?)Z?$/;
/** Fields whose string value must be a time of day; the value says whether `""` means "none". */
const TIME_FIELDS: ReadonlyMap<string, { emptyIsNone: boolean }> = new Map([
  ['ScanTime', { emptyIsNone: false }],
  ['ScanEndTime', { emptyIsNone: true }],
]);

const TYPE_ZH: Readonly<Record<WireType, string>> = {
  Boolean: '布尔值（Boolean）',
  String: '字符串（String）',
  Integer: '整数（Integer）',
  'Array of String': '字符串数组（Array of String）',
};

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

/** The time of day of an accepted time value (`HH:MM` or `HH:MM:SS`), or undefined when it is not one. */
export function timeOfDay(value: string): string | undefined {
  if (TIME_RE.test(value)) return value;
  const m = DATE_TIME_RE.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, time] = m as unknown as [string, string, string, string, string];
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  const real = date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(mo) - 1 && date.getUTCDate() === Number(d);
  return real ? time : undefined;
}

/** A number as written in a message: integers in full, never `1e+21`. */
function numberText(n: number): string {
  return Number.isSafeInteger(n) ? String(n) : BigInt(n).toString();
}

function checkValue(field: WireField, value: unknown): Checked<undefined> {
  if (!hasType(value, field.type)) {
    return reject(
      'InvalidParameter',
      `The parameter \`${field.name}\` must be of type ${field.type}.`,
      `参数 \`${field.name}\` 的类型必须为${TYPE_ZH[field.type]}。`,
    );
  }
  if (field.type === 'Integer') {
    const n = value as number;
    const min = field.min ?? Number.MIN_SAFE_INTEGER;
    const max = field.max ?? Number.MAX_SAFE_INTEGER;
    if (n < min || n > max) {
      const range = field.max === undefined ? `>= ${min}` : `[${min}, ${max}]`;
      const rangeZh = field.max === undefined ? `应不小于 ${min}` : `应在 ${min} 到 ${max} 之间`;
      return reject(
        'InvalidParameterValue.DataRange',
        `The value ${numberText(n)} of \`${field.name}\` is out of range ${range}.`,
        `参数 \`${field.name}\` 的取值 ${numberText(n)} 超出范围：${rangeZh}。`,
      );
    }
  }
  const time = TIME_FIELDS.get(field.name);
  if (time !== undefined) {
    const text = value as string;
    if (!(text === '' && time.emptyIsNone) && timeOfDay(text) === undefined) {
      const none = time.emptyIsNone ? ', or "" for none' : '';
      const noneZh = time.emptyIsNone ? '，或用 "" 表示不设置' : '';
      return reject(
        'InvalidParameter.InvalidFormat',
        `The value of \`${field.name}\` must be a time HH:MM or HH:MM:SS (or a date-time YYYY-MM-DD HH:MM:SS, UTC)${none}, got ${JSON.stringify(text)}.`,
        `参数 \`${field.name}\` 必须为时间 HH:MM 或 HH:MM:SS（或日期时间 YYYY-MM-DD HH:MM:SS，UTC）${noneZh}，实际为 ${JSON.stringify(text)}。`,
      );
    }
  }
  return pass(undefined);
}

/** Parses a JSON body: it must be one JSON object. */
export function parseJsonBody(body: string): Checked<Record<string, unknown>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return reject('InvalidParameter.ParsingError', 'The request body is not valid JSON.', '请求体不是合法的 JSON。');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return reject('InvalidParameter.ParsingError', 'The request body must be a JSON object.', '请求体必须是 JSON 对象。');
  }
  return pass(parsed as Record<string, unknown>);
}

/**
 * Checks an action's input. Order: unknown parameters, missing required ones, then each field's type and
 * value in the documented order.
 */
export function validateInput(fields: readonly WireField[], input: Record<string, unknown>): Checked<Record<string, unknown>> {
  const byName = new Map(fields.map((f) => [f.name, f]));
  for (const name of Object.keys(input)) {
    if (!byName.has(name)) return reject('UnknownParameter', `The parameter \`${name}\` is not recognized.`, `参数 \`${name}\` 无法识别。`);
  }
  for (const field of fields) {
    if (field.required && !Object.hasOwn(input, field.name)) {
      return reject(
        'MissingParameter',
        `The request is missing a required parameter \`${field.name}\`.`,
        `缺少必填参数 \`${field.name}\`。`,
      );
    }
  }
  for (const field of fields) {
    if (!Object.hasOwn(input, field.name)) continue;
    const checked = checkValue(field, input[field.name]);
    if (!checked.ok) return checked;
  }
  return pass(input);
}

/** Parses and checks a JSON body for these fields. */
export function validateBody(fields: readonly WireField[], body: string): Checked<Record<string, unknown>> {
  const parsed = parseJsonBody(body);
  return parsed.ok ? validateInput(fields, parsed.value) : parsed;
}

/** An accepted time value → `HH:MM:SS`, the form the read API answers (`""` stays `""`). */
export function toLongTime(value: string): string {
  const time = timeOfDay(value);
  if (time === undefined) return value;
  return /^\d\d:\d\d$/.test(time) ? `${time}:00` : time;
}
