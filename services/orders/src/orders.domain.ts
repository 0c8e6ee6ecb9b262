import { forbidden, type Caller } from '@shopstack/auth';
import type { CreateOrderInput } from '@shopstack/api-contract';
import type { Page } from '@shopstack/db';
import { AppError } from '@shopstack/errors';
import type { Metrics } from '@shopstack/metrics';
import { replay, requestFingerprint, type IdempotencyLocks } from './idempotency.js';
import type { Order, OrdersRepository } from './orders.repository.js';
import type { OrderRequest, PlaceContext, PlaceOrder } from './placing/place-order.js';

export interface OrdersDomainDeps {
  repository: OrdersRepository;
  placeOrder: PlaceOrder;
  locks: IdempotencyLocks;
  metrics: Metrics;
}

export type OrdersDomain = ReturnType<typeof createOrdersDomain>;

export function createOrdersDomain({ repository, placeOrder, locks, metrics }: OrdersDomainDeps) {
  const idempotency = metrics.counter({ name: 'idempotency_requests_total', help: 'Orders sent again with an Idempotency-Key: replayed, conflict (other items), in_progress', labelNames: ['outcome'] });
  /** The first order again, counted as a replay; or the refusal of a key reused for another order, as a conflict. */
  function replayCounted(...args: Parameters<typeof replay>): ReturnType<typeof replay> {
    try {
      const replayed = replay(...args);
      idempotency.inc({ outcome: 'replayed' });
      return replayed;
    } catch (error) {
      idempotency.inc({ outcome: 'conflict' });
      throw error;
    }
  }

  async function placeOnce(request: OrderRequest, fingerprint: string, ctx: PlaceContext): Promise<{ order: Order; replayed: boolean }> {
    const order = await placeOrder(request, fingerprint, ctx);
    if (order) return { order, replayed: false };
    // A concurrent request with the same key stored its order first: answer theirs.
    const first = ctx.idempotencyKey === undefined ? undefined : await repository.findByIdempotencyKey(request.userId, ctx.idempotencyKey);
    if (!first) throw new AppError(500, 'internal_error', 'An order lost to a concurrent one with the same key was not found');
    return replayCounted(first, fingerprint);
  }

  return {
    /**
     * Places an order for the caller; with an Idempotency-Key, a retry answers the first order
     * instead of a second. The key is the caller's own: another user's order with the same
     * key is neither replayed nor waited for.
     */
    async place(input: CreateOrderInput, ctx: PlaceContext): Promise<{ order: Order; replayed: boolean }> {
      // Someone else's id is refused rather than quietly replaced, admins included: ordering
      // in another's name would be a feature of its own, not a side effect of this one.
      if (input.userId !== undefined && input.userId !== ctx.caller.userId) throw forbidden('An order can only be placed for yourself');
      const request: OrderRequest = { ...input, userId: ctx.caller.userId };
      const fingerprint = requestFingerprint(request);
      const key = ctx.idempotencyKey;
      if (key === undefined) return placeOnce(request, fingerprint, ctx);

      const previous = await repository.findByIdempotencyKey(request.userId, key);
      if (previous) return replayCounted(previous, fingerprint);
      if (!(await locks.acquire(request.userId, key, ctx.log))) {
        idempotency.inc({ outcome: 'in_progress' });
        throw new AppError(409, 'idempotency_in_progress', 'A request with this Idempotency-Key is in progress', {
          headers: { 'Retry-After': '1' },
        });
      }
      try {
        return await placeOnce(request, fingerprint, ctx);
      } finally {
        await locks.release(request.userId, key);
      }
    },

    /** Its owner's or an admin's; to anyone else it does not exist (a 403 would say it does). */
    async get(id: string, caller: Caller): Promise<Order> {
      const order = await repository.findById(id);
      if (!order || (order.userId !== caller.userId && caller.role !== 'admin')) throw AppError.notFound('Order');
      return order;
    },

    /** The orders of `userId`, the caller's own when left out; only an admin may name another user. */
    async listFor(caller: Caller, userId: string | undefined, page: Page) {
      const owner = userId ?? caller.userId;
      if (owner !== caller.userId && caller.role !== 'admin') throw forbidden('You may list only your own orders');
      return repository.listByUser(owner, page);
    },
  };
}
