export { signRequest, buildStringToSign, parseAuthorization } from './sign.js';
export type { SignInput, Signature, ParsedAuthorization } from './sign.js';
export { buildCanonicalRequest } from './canonical-request.js';
export { utcDate, credentialScope, deriveSigningKey } from './credential-scope.js';
export { sha256Hex } from './hash.js';
