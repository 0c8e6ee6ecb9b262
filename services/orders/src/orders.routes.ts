import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '@shopstack/errors';
import type { OrdersDomain } from './orders.domain.js';
import { createOrderBody, idempotencyKeyHeader, idSchema, listOrdersQuery } from '@shopstack/api-contract';
import { requestContext } from '@shopstack/service-kit';

const idParams = z.object({ id: idSchema });

export function ordersRouter(orders: OrdersDomain): Router {
  const router = Router();

  router.post('/', async (req, res) => {
    const key = idempotencyKeyHeader.safeParse(req.get('Idempotency-Key'));
    if (!key.success) {
      throw AppError.badRequest('invalid_idempotency_key', 'The Idempotency-Key header is malformed', [
        { field: 'Idempotency-Key', message: key.error.issues[0]!.message },
      ]);
    }
    const input = createOrderBody.parse(req.body);
    const { order, replayed } = await orders.place(input, { ...requestContext(req), idempotencyKey: key.data });
    if (replayed) res.set('Idempotent-Replayed', 'true');
    res.status(201).location(`/orders/${order.id}`).json(order);
  });

  router.get('/', async (req, res) => {
    const { userId, ...page } = listOrdersQuery.parse(req.query);
    res.json({ ...(await orders.listByUser(userId, page)), ...page });
  });

  router.get('/:id', async (req, res) => {
    const { id } = idParams.parse(req.params);
    res.json(await orders.get(id));
  });

  return router;
}
