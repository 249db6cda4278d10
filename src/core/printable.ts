/**
 * Text that came from the network (error codes and messages, RequestIds, HTML titles, Location headers) is
 * shown only after control characters are made visible: a hostile endpoint or proxy must not be able to move
 * the cursor, recolour, or fake lines of tcss's output with escape sequences.
 */

// C0 and C1 controls, DEL, and the bidirectional overrides that reorder what a terminal shows.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Replaces control characters with `\xNN` / `\uNNNN` and cuts the text at `max` characters. */
export function printable(text: string, max = 500): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return cut.replace(UNSAFE, (ch) => {
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
