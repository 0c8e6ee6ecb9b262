import { z } from 'zod';
import { idSchema, text } from '@shopstack/service-kit';

const priceCents = z.int('must be a whole number of cents').min(0, 'must not be negative').max(100_000_000, 'must be at most 100000000');
const stock = z.int('must be a whole number').min(0, 'must not be negative').max(1_000_000, 'must be at most 1000000');

export const createProductBody = z
  .object({
    name: text(200),
    description: text(2000).optional(),
    priceCents,
    stock,
  })
  .strict();

export const updateProductBody = z
  .object({
    name: text(200).optional(),
    description: text(2000).optional(),
    priceCents: priceCents.optional(),
    stock: stock.optional(),
  })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'must change at least one field');

export const reservationBody = z
  .object({
    items: z
      .array(
        z.object({ productId: idSchema, quantity: z.int('must be a whole number').min(1, 'must be at least 1').max(1000, 'must be at most 1000') }).strict(),
      )
      .min(1, 'must hold at least one item')
      .max(50, 'must hold at most 50 items')
      .refine((items) => new Set(items.map((item) => item.productId)).size === items.length, 'must not repeat a product'),
  })
  .strict();

export type CreateProductInput = z.output<typeof createProductBody>;
export type UpdateProductInput = z.output<typeof updateProductBody>;
export type ReservationItem = z.output<typeof reservationBody>['items'][number];
