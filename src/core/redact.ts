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
