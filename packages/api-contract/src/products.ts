import { z } from 'zod';
import { idSchema, text, timestamp, unlessMissing } from './common.js';

const priceCents = z
  .int({ error: unlessMissing('must be a whole number of cents') })
  .min(0, 'must not be negative')
  .max(100_000_000, 'must be at most 100000000');
const stock = z.int({ error: unlessMissing('must be a whole number') }).min(0, 'must not be negative').max(1_000_000, 'must be at most 1000000');
// Products answer `"description": null` when there is none, so null is accepted back: on
// create it means none, on update it clears the description.
const description = text(2000).nullable();

export const createProductBody = z
  .object({
    name: text(200),
    description: description.optional(),
    priceCents,
    stock,
  })
  .strict();

export const updateProductBody = z
  .object({
    name: text(200).optional(),
    description: description.optional(),
    priceCents: priceCents.optional(),
    stock: stock.optional(),
  })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'must change at least one field')
  .meta({ description: 'At least one field; `description: null` clears it.', minProperties: 1 });

export type CreateProductInput = z.output<typeof createProductBody>;
export type UpdateProductInput = z.output<typeof updateProductBody>;

export const product = z.object({
  id: idSchema,
  name: z.string(),
  description: z.string().nullable(),
  priceCents: z.int().min(0),
  stock: z.int().min(0),
  createdAt: timestamp,
  updatedAt: timestamp,
});
