import { z } from 'zod';
import { idSchema, lineItemsSchema, paginationQuery, timestamp } from './common.js';

export const createOrderBody = z
  .object({
    userId: idSchema.optional().meta({ description: "The caller's own id, or left out: an order is always placed for the caller." }),
    items: lineItemsSchema,
  })
  .strict();

/** Printable, bounded and free of spaces: a UUID is the usual choice. */
export const idempotencyKeyHeader = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,255}$/, 'must be 1 to 255 letters, digits or _ . : -')
  .optional();

/** A customer lists their own orders; an admin may name any user (the caller when left out). */
export const listOrdersQuery = paginationQuery.extend({ userId: idSchema.optional() });

export type CreateOrderInput = z.output<typeof createOrderBody>;

/** A line as products reserves it for an order, at the price it had then: the order's lines are these, priced. */
const reservedLine = z.object({
  productId: idSchema,
  name: z.string(),
  quantity: z.int().min(1),
  unitPriceCents: z.int().min(0),
});

export type ReservedLine = z.output<typeof reservedLine>;

export const order = z.object({
  id: idSchema,
  userId: idSchema,
  status: z.literal('confirmed'),
  totalCents: z.int().min(0),
  createdAt: timestamp,
  items: z.array(reservedLine.extend({ lineTotalCents: z.int().min(0) })),
});
