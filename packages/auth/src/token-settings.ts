/**
 * What every access token says about itself, fixed for the whole stack: the users service
 * signs with these, the gateway and the services refuse anything else. One algorithm,
 * pinned: EdDSA (Ed25519), asymmetric, so that verifying needs only the public key.
 */
export const TOKEN_ALGORITHM = 'EdDSA';
export const TOKEN_ISSUER = 'shopstack-users';
export const TOKEN_AUDIENCE = 'shopstack-api';
/** An access token lives 15 minutes: also how long one stays usable after logout. */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
/** Clocks of two containers (or two Swarm nodes) may differ by this much. */
export const CLOCK_TOLERANCE_SECONDS = 10;
