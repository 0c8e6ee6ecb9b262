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

export const createUserBody = z
  .object({
    email,
    name: text(100),
  })
  .strict();

export type CreateUserInput = z.output<typeof createUserBody>;

export const user = z.object({
  id: idSchema,
  email: email.meta({ description: 'Stored lower-cased; unique, case-insensitively.' }),
  name: z.string(),
  createdAt: timestamp,
});
