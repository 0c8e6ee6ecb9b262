import { z } from 'zod';
import { idSchema, text, timestamp, unlessMissing } from './common.js';

/**
 * An address as HTML's <input type="email"> accepts it (WHATWG): ASCII, a domain of letters,
 * digits and inner hyphens, so `t'@example.org` is valid and `a@b-.example.com` is not. A
 * quoted local part (`"q"@example.com`) is refused, as browsers refuse it; a non-ASCII
 * domain is sent in its ASCII form (`xn--p1ai`).
 */
const email = z
  .string({ error: unlessMissing('must be an email address') })
  .max(254, 'must be at most 254 characters')
  .regex(z.regexes.html5Email, 'must be an email address');

/**
 * 10 to 128 characters, any of them, spaces included and kept as typed: length is what makes
 * a password strong, so there are no composition rules (NIST SP 800-63B, OWASP).
 */
const password = z
  .string({ error: unlessMissing('must be a string') })
  .min(10, 'must be at least 10 characters')
  .max(128, 'must be at most 128 characters')
  .meta({ description: '10 to 128 characters, no composition rules; stored as an argon2id hash, never returned.' });

export const createUserBody = z
  .object({
    email,
    name: text(100),
    password,
  })
  .strict();

export type CreateUserInput = z.output<typeof createUserBody>;

/** What a login sends. Not checked against the sign-up rules: a wrong one is a 401 like any other. */
export const loginBody = z
  .object({
    email: z.string({ error: unlessMissing('must be a string') }).max(254, 'must be at most 254 characters'),
    password: z.string({ error: unlessMissing('must be a string') }).max(1024, 'must be at most 1024 characters'),
  })
  .strict();

export type LoginInput = z.output<typeof loginBody>;

/** PATCH /api/users/me: a new name, a new password (with the current one), or both. */
export const updateMeBody = z
  .object({
    name: text(100).optional(),
    password: password.optional(),
    currentPassword: z.string({ error: unlessMissing('must be a string') }).max(1024, 'must be at most 1024 characters').optional(),
  })
  .strict()
  .refine((body) => body.name !== undefined || body.password !== undefined, { message: 'must change the name or the password', path: [] })
  .refine((body) => body.password === undefined || body.currentPassword !== undefined, {
    message: 'is required to set a new password',
    path: ['currentPassword'],
  });

export type UpdateMeInput = z.output<typeof updateMeBody>;

export const role = z.enum(['customer', 'admin']);

export const user = z.object({
  id: idSchema,
  email: email.meta({ description: 'Stored lower-cased; unique, case-insensitively.' }),
  name: z.string(),
  role,
  createdAt: timestamp,
});

/** POST /api/auth/login and /api/auth/refresh: a bearer access token; the refresh token is in the cookie. */
export const accessTokenResponse = z.object({
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresIn: z.int().min(1).meta({ description: 'Seconds the access token is valid for (at most 900).' }),
});

/** GET /api/auth/jwks.json: the public keys access tokens are signed with (RFC 7517). */
export const jwksResponse = z.object({
  keys: z.array(z.looseObject({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), kid: z.string(), x: z.string(), alg: z.literal('EdDSA'), use: z.literal('sig') })),
});
