/**
 * Text that came from the network (error codes and messages, RequestIds, HTML titles, Location headers) is
 * shown only after control characters are made visible: a hostile endpoint or proxy must not be able to move
 * the cursor, recolour, or fake lines of tcss's output with escape sequences.
 */

// C0 and C1 controls, DEL, and the bidirectional overrides that reorder what a terminal shows.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
/**
 * What no text tcss writes ever needs, whoever wrote it: C1 controls (U+009B is a one-byte CSI), bidirectional
 * marks, overrides and isolates, zero-width and invisible characters, line and paragraph separators, and the
 * byte-order mark. tcss's own output uses C0 controls (newlines, colour escapes), which are not in this set.
 */
const INVISIBLE = /[\u0080-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

function escapeChar(ch: string): string {
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Makes invisible and reordering characters visible as `\uNNNN` in any text about to be written (the output
 * writers apply it to everything). Inside a JSON string, `\uNNNN` is the same character, so JSON output keeps its
 * values; elsewhere the escape shows what the server sent.
 */
export function escapeInvisible(text: string): string {
  return text.replace(INVISIBLE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Replaces control characters with `\xNN` / `\uNNNN` and cuts the text at `max` characters. */
export function printable(text: string, max = 500): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return cut.replace(UNSAFE, escapeChar);
}
