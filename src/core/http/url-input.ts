/** A URL as a user types it (a bare host, or a full URL): shared by `--endpoint` and `--proxy`. Pure. */

const SCHEME_RE = /^[a-z][a-z0-9+.-]*:\/\//i;

/** The value with `scheme://` in front when it has none. */
export function withDefaultScheme(raw: string, scheme: 'http' | 'https'): string {
  return SCHEME_RE.test(raw) ? raw : `${scheme}://${raw}`;
}

/**
 * The value as it may be shown in a message: any `user:password@` replaced by `***@`, cut to 80 characters,
 * quoted. Works on text that does not parse as a URL too, so a password never reaches an error.
 */
export function shownUrlInput(raw: string): string {
  const hidden = raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/@]*@/i, (_m, scheme: string | undefined) => `${scheme ?? ''}***@`);
  return JSON.stringify(hidden.slice(0, 80));
}
