import { z } from 'zod';
import { idSchema, paginationQuery } from '@shopstack/service-kit';

export const createOrderBody = z
  .object({
    userId: idSchema,
    items: z
      .array(
        z.object({ productId: idSchema, quantity: z.int('must be a whole number').min(1, 'must be at least 1').max(1000, 'must be at most 1000') }).strict(),
      )
      .min(1, 'must hold at least one item')
      .max(50, 'must hold at most 50 items')
      .refine((items) => new Set(items.map((item) => item.productId)).size === items.length, 'must not repeat a product'),
  })
  .strict();

/** Printable, bounded and free of spaces: a UUID is the usual choice. */
export const idempotencyKeyHeader = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,255}$/, 'must be 1 to 255 letters, digits or _ . : -')
  .optional();

export const listOrdersQuery = paginationQuery.extend({ userId: idSchema });

export type CreateOrderInput = z.output<typeof createOrderBody>;
