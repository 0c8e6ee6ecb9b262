export { callerOf, forbidden, requireAdmin, requireCaller, unauthenticated, ROLES, type Caller, type Role } from './caller.js';
export { authenticate } from './authenticate.js';
export { generateSigningKey, signAccessToken, signingKeyFromPem, type SigningKey } from './signing-keys.js';
export { createTokenVerifier, localKeys, remoteKeys, type KeyLookup, type TokenVerifier } from './verify-token.js';
export {
  createServiceTokenVerifier,
  requireServiceToken,
  serviceTokenSource,
  SERVICE_TOKEN_TTL_SECONDS,
  type ServiceIdentity,
  type ServiceTokenSource,
  type ServiceTokenVerifier,
} from './service-tokens.js';
export { ACCESS_TOKEN_TTL_SECONDS, TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER } from './token-settings.js';
