/**
 * Credentials: one provider per source, tried in one documented order (docs/credentials.md).
 */
export * from './chain.js';
export { CredentialCache, refreshMarginMs, type CredentialSource } from './source.js';
export { roleAccount, checkRoleArn, DEFAULT_ROLE_DURATION_SECONDS, MAX_ROLE_DURATION_SECONDS } from './sts-role-provider.js';
export { DEFAULT_METADATA_ENDPOINT, METADATA_ROLE_PATH } from './cvm-role-provider.js';
export { DEFAULT_OIDC_AUDIENCE, jwtClaims } from './web-identity-provider.js';
export { TOKEN_VARIABLES } from './files.js';
export type { CredentialDeps, CredentialFlags, HttpGetter, HttpGetAnswer, StsAction, StsCaller, StsRequest } from './types.js';
