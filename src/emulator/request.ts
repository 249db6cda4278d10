/**
 * A received API request as the checks see it, and the parsing they share: headers as single strings, the
 * raw query string, `application/x-www-form-urlencoded` parameters (query or body), and the flat parameters
 * of a GET or form request turned into the typed input the JSON form carries (`Images.0=a&Images.1=b` →
 * `{"Images":["a","b"]}`, `Enable=true` → `true`).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { WireField } from '../core/api-model.js';
import { pass, reject, type Checked } from './api-failure.js';

export interface ApiRequest {
  method: string;
  /** The query string as sent, without `?`; empty when there is none. */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  /** The exact body bytes received. */
  body: Uint8Array;
}

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The raw query string of a request target (`/?a=1` → `a=1`). */
export function rawQueryOf(target: string): string {
  const at = target.indexOf('?');
  return at < 0 ? '' : target.slice(at + 1);
}

/** The media type of a Content-Type header, lower case, without parameters. */
export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export const FORM_TYPE = 'application/x-www-form-urlencoded';

/** At most this many parameters in one query or form body (1 MiB of `a&` pairs would be half a million). */
const MAX_PARAMS = 10_000;

/** Decoded `k=v` pairs; a name given twice, or too many names, is refused. */
export function parseForm(text: string): Checked<Map<string, string>> {
  const params = new Map<string, string>();
  if (text === '') return pass(params);
  for (const [name, value] of new URLSearchParams(text)) {
    if (params.has(name)) {
      return reject('InvalidParameter', `The parameter \`${name}\` is given more than once.`, `参数 \`${name}\` 重复出现。`);
    }
    if (params.size >= MAX_PARAMS) {
      return reject('InvalidParameter', `The request has more than ${MAX_PARAMS} parameters.`, `请求参数超过 ${MAX_PARAMS} 个。`);
    }
    params.set(name, value);
  }
  return pass(params);
}

const INDEX_RE = /^(0|[1-9]\d{0,5})$/;

function typedValue(field: WireField, text: string): unknown {
  switch (field.type) {
    case 'Boolean':
      // Node SDK: true/false; Python SDK: True/False.
      return /^true$/i.test(text) ? true : /^false$/i.test(text) ? false : text;
    case 'Integer':
      return /^-?\d{1,30}$/.test(text) ? Number(text) : text;
    default:
      return text;
  }
}

/**
 * Flat parameters → the input object, typed per field. Values that are not of the field's type are kept as
 * text, so the body validation answers them as it answers a JSON value of the wrong type. Unknown names are
 * answered UnknownParameter here, as in the JSON form.
 */
export function inputFromParams(fields: readonly WireField[], params: ReadonlyMap<string, string>): Checked<Record<string, unknown>> {
  const byName = new Map(fields.map((f) => [f.name, f]));
  const input: Record<string, unknown> = {};
  const arrays = new Map<string, Map<number, string>>();
  for (const [name, value] of params) {
    const field = byName.get(name);
    if (field !== undefined && field.type !== 'Array of String') {
      input[name] = typedValue(field, value);
      continue;
    }
    const dot = name.lastIndexOf('.');
    const base = dot < 0 ? name : name.slice(0, dot);
    const index = dot < 0 ? '' : name.slice(dot + 1);
    const arrayField = byName.get(base);
    if (arrayField?.type !== 'Array of String' || !INDEX_RE.test(index)) {
      return reject('UnknownParameter', `The parameter \`${name}\` is not recognized.`, `参数 \`${name}\` 无法识别。`);
    }
    const items = arrays.get(base) ?? new Map<number, string>();
    items.set(Number(index), value);
    arrays.set(base, items);
  }
  for (const [name, items] of arrays) {
    const list: string[] = [];
    for (let i = 0; i < items.size; i++) {
      const item = items.get(i);
      if (item === undefined) {
        return reject(
          'InvalidParameter',
          `The items of \`${name}\` must be numbered ${name}.0, ${name}.1, … without gaps.`,
          `\`${name}\` 的元素须从 ${name}.0、${name}.1 起连续编号。`,
        );
      }
      list.push(item);
    }
    input[name] = list;
  }
  return pass(input);
}
