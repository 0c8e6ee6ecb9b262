import { z } from 'zod';
import { env } from '@shopstack/config';
import { databaseSettings, redisSettings, serverSettings } from '@shopstack/service-kit';

export const configSchema = z
  .object({
    ...serverSettings,
    ...databaseSettings,
    ...redisSettings,
    CACHE_TTL_SECONDS: env.integer({ min: 1, max: 86_400 }).default(60),
    /** The admin made (or promoted, its password set) at every start; both or neither. */
    ADMIN_EMAIL: env.string().optional(),
    ADMIN_PASSWORD: env.string().min(10, 'must be at least 10 characters').optional(),
    /**
     * A PEM Ed25519 private key to sign with (SIGNING_KEY_FILE=/run/secrets/…); left unset, a
     * key is made on first start and kept in the database.
     */
    SIGNING_KEY: env.string().optional(),
    /** How long a login lasts without use: each refresh starts this again. */
    REFRESH_TOKEN_TTL_SECONDS: env.integer({ min: 60, max: 90 * 86_400 }).default(7 * 86_400),
    /** `Secure` on the refresh cookie: on once the stack is served over HTTPS. */
    COOKIE_SECURE: env.oneOf(['true', 'false'] as const).default('false').transform((value) => value === 'true'),
    /** The gateway in front sets X-Forwarded-For to the client's address (the login limit per address). */
    TRUST_PROXY_HOPS: env.integer({ min: 0, max: 10 }).default(1),
  })
  .refine((config) => (config.ADMIN_EMAIL === undefined) === (config.ADMIN_PASSWORD === undefined), {
    message: 'must be set with ADMIN_EMAIL (both or neither)',
    path: ['ADMIN_PASSWORD'],
  });
