import { z } from 'zod';

/** One thing wrong with a request: the same shape in every error's `details` (see Problem in @shopstack/errors). */
const problem = z.object({
  field: z.string().optional().meta({ description: 'The field, dotted (`items.0.quantity`); a header by its name; `(body)` for the body as a whole.' }),
  message: z.string(),
  productId: z.string().optional(),
  requested: z.int().optional(),
  available: z.int().optional(),
});

/** Every error, from nginx, the gateway or a service. */
export const errorResponse = z
  .object({
    error: z
      .object({
        code: z.string().regex(/^[a-z_]+$/).meta({ description: 'Stable and machine-readable: branch on it.' }),
        message: z.string().meta({ description: 'For people; a 5xx never carries internals.' }),
        requestId: z.string().optional(),
        details: z.array(problem).optional(),
      })
      .strict(),
  })
  .strict();
