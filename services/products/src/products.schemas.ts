import { z } from 'zod';
import { lineItemsSchema } from '@shopstack/api-contract';

/** Internal (orders reserves stock with it), so not part of the public contract. */
export const reservationBody = z
  .object({
    items: lineItemsSchema,
  })
  .strict();

export type ReservationItem = z.output<typeof reservationBody>['items'][number];
