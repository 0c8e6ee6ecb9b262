import { z } from 'zod';

/** A field's own message for a wrong value, but "is required" when the field is absent. */
export function unlessMissing(message: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : message);
}

/**
 * Ids are UUIDs; anything else is a 400 before it reaches a query. Lower-cased, so that one
 * id written in two cases is one id everywhere: in duplicate checks, SQL and cache keys.
 */
export const idSchema = z.uuid({ error: unlessMissing('must be a UUID') }).transform((id) => id.toLowerCase());

/** Lines of an order or a reservation: 1 to 50 distinct products, 1 to 1000 of each. */
export const lineItemsSchema = z
  .array(
    z
      .object({
        productId: idSchema,
        quantity: z.int({ error: unlessMissing('must be a whole number') }).min(1, 'must be at least 1').max(1000, 'must be at most 1000'),
      })
      .strict(),
  )
  .min(1, 'must hold at least one item')
  .max(50, 'must hold at most 50 items')
  .refine((items) => new Set(items.map((item) => item.productId)).size === items.length, 'must not repeat a product');

/** Trimmed, bounded, printable text: control characters (NUL included) are refused. */
export function text(maxLength: number) {
  return z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(maxLength, `must be at most ${maxLength} characters`)
    .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters')
    // A lone surrogate ("\ud800") parses, but is not text: Postgres would store U+FFFD instead.
    .regex(/^\P{Cs}*$/u, 'must be valid Unicode text');
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
