import { z } from 'zod';
import { text, unlessMissing } from '@shopstack/service-kit';

export const createUserBody = z
  .object({
    email: z.email({ error: unlessMissing('must be an email address') }).max(254, 'must be at most 254 characters'),
    name: text(100),
  })
  .strict();

export type CreateUserInput = z.output<typeof createUserBody>;
