import { v7 as uuidv7 } from 'uuid';
import { AppError } from '@shopstack/errors';
import { isCircuitOpen } from '@shopstack/http-client';
import type { Page } from '@shopstack/db';
import type { BackgroundTasks, RequestContext } from '@shopstack/service-kit';
import type { ProductsClient } from './clients/products.client.js';
import type { UsersClient } from './clients/users.client.js';
import type { IdempotencyLocks } from './idempotency-locks.js';
import { priceOrder, requestFingerprint } from './orders.pricing.js';
import type { Order, OrdersRepository } from './orders.repository.js';
import type { CreateOrderInput } from '@shopstack/api-contract';
import type { PendingReservations } from './pending-reservations.repository.js';

export interface OrdersDomainDeps {
  repository: OrdersRepository;
  pending: PendingReservations;
  users: UsersClient;
  products: ProductsClient;
  locks: IdempotencyLocks;
  background: BackgroundTasks;
}

export interface PlaceContext extends RequestContext {
  idempotencyKey: string | undefined;
}

export type OrdersDomain = ReturnType<typeof createOrdersDomain>;

/**
 * Whether a failed reservation call may have taken stock anyway: a refusal (4xx) or an
 * open circuit (the call never left) took nothing; a timeout or a 5xx may have.
 */
function mayHaveReserved(error: unknown): boolean {
  if (!(error instanceof AppError)) return true;
  return error.status >= 500 && !isCircuitOpen(error);
}

export function createOrdersDomain({ repository, pending, users, products, locks, background }: OrdersDomainDeps) {
  function replay(previous: { order: Order; fingerprint: string | null }, fingerprint: string) {
    if (previous.fingerprint !== fingerprint) {
      throw AppError.unprocessable('idempotency_key_reused', 'This Idempotency-Key was already used for a different order');
    }
    return { order: previous.order, replayed: true };
  }

  /**
   * Gives a reservation's stock back now, in the background, without making the client
   * wait. The pending row is what makes this safe to lose: if this attempt fails, or the
   * process dies, the recovery pass (stock-recovery.ts) does it later. With `claim`, the
   * release is first claimed, which waits for any transaction still storing the order and
   * does nothing if the order was stored after all.
   */
  function giveBack(id: string, ctx: PlaceContext, { claim }: { claim: boolean }): void {
    background.track(
      (async () => {
        if (claim && !(await pending.claimRelease(id))) return;
        ctx.log.info({ reservationId: id }, 'giving back the stock of an order that was not placed');
        await products.release(id, ctx);
        await pending.released(id);
      })().catch((error: unknown) =>
        ctx.log.warn({ err: error, reservationId: id }, 'could not give the stock back yet; the recovery pass will retry'),
      ),
    );
  }

  /** Check the user, note the reservation, reserve the stock (keyed by the new order's id), store the order. */
  async function create(input: CreateOrderInput, fingerprint: string, ctx: PlaceContext): Promise<{ order: Order; replayed: boolean }> {
    await users.assertExists(input.userId, ctx);
    const id = uuidv7();
    await pending.record(id);
    let priced: ReturnType<typeof priceOrder>;
    try {
      priced = priceOrder(await products.reserve(id, input.items, ctx));
    } catch (error) {
      if (mayHaveReserved(error)) giveBack(id, ctx, { claim: true });
      else await pending.forget(id).catch(() => undefined); // left behind, it would only cost a harmless release
      throw error;
    }
    let stored: Awaited<ReturnType<OrdersRepository['insert']>>;
    try {
      stored = await repository.insert({ id, userId: input.userId, ...priced, fingerprint, idempotencyKey: ctx.idempotencyKey });
    } catch (error) {
      // The order may be stored regardless (a COMMIT whose answer was lost): the claim tells.
      giveBack(id, ctx, { claim: true });
      throw error;
    }
    switch (stored.outcome) {
      case 'placed':
        return { order: stored.order, replayed: false };
      case 'abandoned':
        throw AppError.unavailable('service_unavailable', 'The order took too long and was not placed; its stock is being given back', 1);
      case 'duplicate': {
        // A concurrent request with the same key stored its order first (possible only while
        // Redis, and so the lock, was down): give our stock back and answer theirs.
        giveBack(id, ctx, { claim: false });
        const first = ctx.idempotencyKey === undefined ? undefined : await repository.findByIdempotencyKey(ctx.idempotencyKey);
        if (!first) throw new AppError(500, 'internal_error', 'An order lost to a concurrent one with the same key was not found');
        return replay(first, fingerprint);
      }
    }
  }

  return {
    /** Places an order; with an Idempotency-Key, a retry answers the first order instead of a second. */
    async place(input: CreateOrderInput, ctx: PlaceContext): Promise<{ order: Order; replayed: boolean }> {
      const fingerprint = requestFingerprint(input);
      const key = ctx.idempotencyKey;
      if (key === undefined) return create(input, fingerprint, ctx);

      const previous = await repository.findByIdempotencyKey(key);
      if (previous) return replay(previous, fingerprint);
      if (!(await locks.acquire(key, ctx.log))) {
        throw new AppError(409, 'idempotency_in_progress', 'A request with this Idempotency-Key is in progress', {
          headers: { 'Retry-After': '1' },
        });
      }
      try {
        return await create(input, fingerprint, ctx);
      } finally {
        await locks.release(key);
      }
    },

    async get(id: string): Promise<Order> {
      const order = await repository.findById(id);
      if (!order) throw AppError.notFound('Order');
      return order;
    },

    listByUser: (userId: string, page: Page) => repository.listByUser(userId, page),
  };
}
