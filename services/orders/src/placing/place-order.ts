import { v7 as uuidv7 } from 'uuid';
import type { Caller } from '@shopstack/auth';
import type { CreateOrderInput } from '@shopstack/api-contract';
import { AppError } from '@shopstack/errors';
import type { BackgroundTasks, RequestContext } from '@shopstack/service-kit';
import type { ProductsClient } from '../clients/products.client.js';
import type { UsersClient } from '../clients/users.client.js';
import { priceOrder } from '../orders.pricing.js';
import type { InsertOutcome, Order, OrdersRepository } from '../orders.repository.js';
import type { PendingReservations } from './pending-reservations.repository.js';

/** An order request once its user is settled: the caller's. */
export type OrderRequest = CreateOrderInput & { userId: string };

export interface PlaceContext extends RequestContext {
  /** Who places the order: it is always placed for them. */
  caller: Caller;
  /** The caller's own Authorization header, for users to answer as it would to them (see UsersClient). */
  authorization: string;
  idempotencyKey: string | undefined;
}

export type PlaceOrder = ReturnType<typeof createOrderPlacing>;

interface PlacingDeps {
  orders: OrdersRepository;
  pending: PendingReservations;
  users: UsersClient;
  products: ProductsClient;
  /** Where stock is given back without making the client wait; shutdown waits for it. */
  background: BackgroundTasks;
}

/**
 * Stock lives at products, the order here: no transaction spans both. So a note (a row of
 * pending_reservations) is written before products is asked and consumed by the transaction
 * that stores the order. Whatever happens in between, even this process dying, a note left
 * behind is stock to give back, by this request or later by the recovery pass
 * (stock-recovery.ts). Products, for its part, refuses a reservation that arrives after its
 * release (a tombstone), so a late request cannot take stock nobody will give back.
 */
export function createOrderPlacing({ orders, pending, users, products, background }: PlacingDeps) {
  /**
   * Checks the user, notes the reservation, reserves the stock and stores the order, or
   * gives the stock back. Answers undefined when a concurrent request with the same
   * Idempotency-Key stored its order first: this one's stock is then on its way back.
   */
  return async function placeOrder(request: OrderRequest, fingerprint: string, ctx: PlaceContext): Promise<Order | undefined> {
    await users.assertExists(request.userId, ctx.authorization, ctx);
    // The order's id is also its reservation's at products and its note's here.
    const id = uuidv7();
    await pending.record(id);
    let priced: ReturnType<typeof priceOrder>;
    try {
      priced = priceOrder(await products.reserve(id, request.items, ctx));
    } catch (error) {
      if (products.mayHaveReserved(error)) giveBack(id, ctx, { claim: true });
      else await pending.forget(id).catch(() => undefined); // left behind, it would only cost a harmless release
      throw error;
    }
    let stored: InsertOutcome;
    try {
      stored = await orders.insert({ id, userId: request.userId, ...priced, fingerprint, idempotencyKey: ctx.idempotencyKey });
    } catch (error) {
      // The order may be stored regardless (a COMMIT whose answer was lost): the claim tells.
      giveBack(id, ctx, { claim: true });
      throw error;
    }
    switch (stored.outcome) {
      case 'placed':
        return stored.order;
      case 'abandoned':
        throw AppError.unavailable('service_unavailable', 'The order took too long and was not placed; its stock is being given back', 1);
      case 'duplicate':
        // Possible only while Redis, and so the idempotency lock, was down.
        giveBack(id, ctx, { claim: false });
        return undefined;
    }
  };

  /**
   * Gives a reservation's stock back now, in the background. If this attempt fails, or the
   * process dies, the note stays and the recovery pass does it later. With `claim`, the
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
}
