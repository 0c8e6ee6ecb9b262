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
  .refine((items) => new Set(items.map((item) => item.productId)).size === items.length, 'must not repeat a product')
  .meta({ description: 'Distinct products: the same productId may appear once.' });

// A name must have at least one character that shows, so one made only of spaces and
// zero-width or format characters (U+200B) is refused. Empty text and control characters
// pass here: the checks above already name what is wrong with them, once.
const VISIBLE = /^$|[^\p{White_Space}\p{Cf}]|[\p{Cc}\p{Cs}]/u;

/**
 * Trimmed, bounded, printable text: control characters (NUL included) are refused, and so
 * is text with nothing visible. The limits are stated in the API document, from here.
 */
export function text(maxLength: number) {
  return z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(maxLength, `must be at most ${maxLength} characters`)
    .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters')
    // A lone surrogate ("\ud800") parses, but is not text: Postgres would store U+FFFD instead.
    .regex(/^\P{Cs}*$/u, 'must be valid Unicode text')
    .regex(VISIBLE, 'must contain a visible character')
    .meta({ description: `Trimmed; 1 to ${maxLength} characters, at least one visible; no control characters or lone surrogates.` });
}

/** A whole number in a query string; the document states it as an integer with its bounds. */
function queryInteger(min: number, max: number, fallback: number) {
  return z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))
    .optional()
    .transform((value) => value ?? fallback)
    .meta({ type: 'integer', minimum: min, maximum: max, default: fallback });
}

export const paginationQuery = z.object({
  limit: queryInteger(1, 100, 20),
  offset: queryInteger(0, 1_000_000, 0),
});

/** A page of a list, newest first: the items, how many there are in all, and the slice asked for. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.int().min(0),
    limit: z.int().min(1).max(100),
    offset: z.int().min(0).max(1_000_000),
  });
}

/** A moment, as the API writes it: ISO 8601 in UTC. */
export const timestamp = z.iso.datetime();
