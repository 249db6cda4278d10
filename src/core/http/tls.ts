/** Plain-language reasons for TLS failures (Node's OpenSSL error codes), so exit 4 says what went wrong. Pure. */

const REASONS: Readonly<Record<string, string>> = {
  CERT_HAS_EXPIRED: 'its certificate has expired',
  CERT_NOT_YET_VALID: "its certificate is not valid yet (check this machine's clock)",
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its certificate chain ends in a CA this machine does not trust (a private CA or an intercepting proxy?)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its certificate is signed by a CA this machine does not trust',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its certificate is signed by a CA this machine does not trust',
  UNABLE_TO_GET_ISSUER_CERT: 'its certificate is signed by a CA this machine does not trust',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate is for another host name',
  CERT_SIGNATURE_FAILURE: 'its certificate signature does not verify',
  CERT_REVOKED: 'its certificate has been revoked',
};

/** True for the certificate error codes tcss explains. */
export function isTlsCode(code: string): boolean {
  return Object.hasOwn(REASONS, code);
}

/** "its certificate has expired (CERT_HAS_EXPIRED)", or the first line of the message for unknown codes. */
export function tlsReason(code: string, message: string | undefined): string {
  const known = REASONS[code];
  if (known) return `${known} (${code})`;
  if (/wrong version number|packet length too long|unknown protocol/i.test(message ?? '')) {
    return 'it does not speak TLS on that port (a plain http:// server?)';
  }
  return code || (message ?? 'unknown error').split('\n')[0] || 'unknown error';
}
