import { z } from 'zod';

/** Ids are UUIDs; anything else is a 400 before it reaches a query. */
export const idSchema = z.uuid({ error: 'must be a UUID' });

/** Trimmed, bounded, printable text: control characters (NUL included) are refused. */
export function text(maxLength: number) {
  return z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(maxLength, `must be at most ${maxLength} characters`)
    .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');
}

function queryInteger(min: number, max: number, fallback: number) {
  return z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))
    .optional()
    .transform((value) => value ?? fallback);
}

export const paginationQuery = z.object({
  limit: queryInteger(1, 100, 20),
  offset: queryInteger(0, 1_000_000, 0),
});

export type Page = z.output<typeof paginationQuery>;
