import { z } from 'zod';
import { requireCaller } from '@shopstack/auth';
import { AppError } from '@shopstack/errors';
import type { OrdersDomain } from './orders.domain.js';
import { createOrderBody, idempotencyKeyHeader, idSchema, listOrdersQuery } from '@shopstack/api-contract';
import { requestContext, type Routes } from '@shopstack/service-kit';

const idParams = z.object({ id: idSchema });

export function ordersRoutes(orders: OrdersDomain): Routes {
  // Every route needs a caller (401 before anything else); who may see what is the domain's.
  return {
    '/': {
      post: async (req, res) => {
        const caller = requireCaller(req);
        const key = idempotencyKeyHeader.safeParse(req.get('Idempotency-Key'));
        if (!key.success) {
          throw AppError.badRequest('invalid_idempotency_key', 'The Idempotency-Key header is malformed', [
            { field: 'Idempotency-Key', message: key.error.issues[0]!.message },
          ]);
        }
        const input = createOrderBody.parse(req.body);
        // A caller means authenticate verified this very header.
        const authorization = req.get('Authorization')!;
        const { order, replayed } = await orders.place(input, { ...requestContext(req), caller, authorization, idempotencyKey: key.data });
        if (replayed) res.set('Idempotent-Replayed', 'true');
        res.status(201).location(`/orders/${order.id}`).json(order);
      },
      get: async (req, res) => {
        const caller = requireCaller(req);
        const { userId, ...page } = listOrdersQuery.parse(req.query);
        res.json({ ...(await orders.listFor(caller, userId, page)), ...page });
      },
    },
    '/:id': {
      get: async (req, res) => {
        const caller = requireCaller(req);
        const { id } = idParams.parse(req.params);
        res.json(await orders.get(id, caller));
      },
    },
  };
}
