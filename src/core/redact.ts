/**
 * Header redaction for printing requests. Its own module so that the output helpers, loaded by every
 * command (and by --help), do not pull in the client, the signer and node:crypto with it.
 */

/** Headers safe to print: the signature and the token are replaced. */
export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'authorization') out[name] = value.replace(/Signature=[0-9a-f]+/, 'Signature=<redacted>');
    else if (name.toLowerCase() === 'x-tc-token') out[name] = '<redacted>';
    else out[name] = value;
  }
  return out;
}

/** The length of the pieces of a secret that are hidden wherever they appear: any 16 characters in a row. */
export const SECRET_PIECE = 16;

/** ASCII letters lower-cased, every other character kept: the same length as the input, index for index. */
function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/**
 * A piece counts only when it holds this many different characters: a run such as `0000000000000000` says
 * nothing about a key, and would hide the same run in a SecretId or a timestamp.
 */
const MIN_DISTINCT = 6;

/**
 * The secrets of a run, and what counts as showing one: the secret itself in any letter case, and any piece of
 * 16 characters of it (a value echoed cut short, lower-cased by URL parsing, JSON-escaped or %-encoded). A
 * secret shorter than that (a proxy password) is hidden as it is, lower-case and upper-case.
 */
export class SecretMatcher {
  /** Every 16-character piece, lower-cased. */
  readonly #pieces = new Set<string>();
  readonly #short = new Set<string>();
  /** Each secret of 16 characters or more, lower-cased: hidden whole whatever its pieces hold. */
  readonly #whole = new Set<string>();
  readonly #seen = new Set<string>();

  add(secret: string | undefined): void {
    if (!secret || secret.length < 4 || this.#seen.has(secret)) return;
    this.#seen.add(secret);
    // The forms a value takes in output: as it is, JSON-escaped, %-encoded.
    const forms = new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]);
    for (const form of forms) {
      if (form.length < SECRET_PIECE) {
        for (const variant of [form, form.toLowerCase(), form.toUpperCase()]) this.#short.add(variant);
        continue;
      }
      const lower = asciiLower(form);
      this.#whole.add(lower);
      for (let i = 0; i + SECRET_PIECE <= lower.length; i++) {
        const piece = lower.slice(i, i + SECRET_PIECE);
        if (new Set(piece).size >= MIN_DISTINCT) this.#pieces.add(piece);
      }
    }
  }

  get empty(): boolean {
    return this.#seen.size === 0;
  }

  /** Whether the text shows a secret, or a piece of one. */
  holds(text: string): boolean {
    return this.redact(text) !== text;
  }

  /** The text with every secret, and every run of text made of pieces of one, replaced by `<redacted>`. */
  redact(text: string): string {
    let out = text;
    for (const secret of this.#short) if (out.includes(secret)) out = out.split(secret).join('<redacted>');
    if (this.#whole.size === 0 || out.length < SECRET_PIECE) return out;
    const lower = asciiLower(out);
    const covered = new Uint8Array(out.length);
    let any = false;
    for (const secret of this.#whole) {
      for (let at = lower.indexOf(secret); at !== -1; at = lower.indexOf(secret, at + 1)) {
        covered.fill(1, at, at + secret.length);
        any = true;
      }
    }
    for (let i = 0; i + SECRET_PIECE <= lower.length; i++) {
      if (this.#pieces.has(lower.slice(i, i + SECRET_PIECE))) {
        covered.fill(1, i, i + SECRET_PIECE);
        any = true;
      }
    }
    if (!any) return out;
    let result = '';
    for (let i = 0; i < out.length; ) {
      if (covered[i] === 1) {
        while (i < out.length && covered[i] === 1) i++;
        result += '<redacted>';
      } else {
        const start = i;
        while (i < out.length && covered[i] !== 1) i++;
        result += out.slice(start, i);
      }
    }
    return result;
  }
}
