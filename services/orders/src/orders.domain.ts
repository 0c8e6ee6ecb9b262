import { v7 as uuidv7 } from 'uuid';
import { forbidden, type Caller } from '@shopstack/auth';
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
  /** Who places the order: it is always placed for them. */
  caller: Caller;
  /** The caller's own Authorization header, for users to answer as it would to them (see UsersClient). */
  authorization: string;
  idempotencyKey: string | undefined;
}

/** An order request once its user is settled: the caller's. */
type OrderRequest = CreateOrderInput & { userId: string };

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
  async function create(input: OrderRequest, fingerprint: string, ctx: PlaceContext): Promise<{ order: Order; replayed: boolean }> {
    await users.assertExists(input.userId, ctx.authorization, ctx);
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
        const first = ctx.idempotencyKey === undefined ? undefined : await repository.findByIdempotencyKey(input.userId, ctx.idempotencyKey);
        if (!first) throw new AppError(500, 'internal_error', 'An order lost to a concurrent one with the same key was not found');
        return replay(first, fingerprint);
      }
    }
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
      if (key === undefined) return create(request, fingerprint, ctx);

      const previous = await repository.findByIdempotencyKey(request.userId, key);
      if (previous) return replay(previous, fingerprint);
      if (!(await locks.acquire(request.userId, key, ctx.log))) {
        throw new AppError(409, 'idempotency_in_progress', 'A request with this Idempotency-Key is in progress', {
          headers: { 'Retry-After': '1' },
        });
      }
      try {
        return await create(request, fingerprint, ctx);
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
