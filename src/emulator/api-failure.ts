/**
 * An error the emulated service answers as `{"Response":{"Error":{Code,Message},RequestId}}` with HTTP 200
 * (docs/api.md#responses-and-errors). Codes are the API's own. Every message exists in English and in
 * Chinese: the service answers in Chinese when the caller asks for `zh-CN` (X-TC-Language, or the
 * `Language` parameter of a Signature v1 request), in English otherwise.
 */

/** The languages the service answers messages in. */
export type Language = 'en-US' | 'zh-CN';
export const SUPPORTED_LANGUAGES: readonly Language[] = ['zh-CN', 'en-US'];

/** One message in both languages. */
export interface Text {
  en: string;
  zh: string;
}

export interface ApiFailure {
  code: string;
  message: Text;
}

/** Outcome of a check: the value it produced, or the API error to answer. */
export type Checked<T> = { ok: true; value: T } | { ok: false; failure: ApiFailure };

export function pass<T>(value: T): Checked<T> {
  return { ok: true, value };
}

export function failure(code: string, en: string, zh: string): ApiFailure {
  return { code, message: { en, zh } };
}

export function reject<T = never>(code: string, en: string, zh: string): Checked<T> {
  return { ok: false, failure: failure(code, en, zh) };
}

/** `zh-CN` when the caller asked for it exactly, else English (no header, `en-US`, or an unsupported value). */
export function languageOf(requested: string | undefined): Language {
  return requested === 'zh-CN' ? 'zh-CN' : 'en-US';
}

export function messageIn(text: Text, language: Language): string {
  return language === 'zh-CN' ? text.zh : text.en;
}
