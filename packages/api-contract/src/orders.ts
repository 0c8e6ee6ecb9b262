import { z } from 'zod';
import { idSchema, lineItemsSchema, paginationQuery } from '@shopstack/service-kit';

export const createOrderBody = z
  .object({
    userId: idSchema,
    items: lineItemsSchema,
  })
  .strict();

/** Printable, bounded and free of spaces: a UUID is the usual choice. */
export const idempotencyKeyHeader = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,255}$/, 'must be 1 to 255 letters, digits or _ . : -')
  .optional();

export const listOrdersQuery = paginationQuery.extend({ userId: idSchema });

export type CreateOrderInput = z.output<typeof createOrderBody>;
