import { v7 as uuidv7 } from 'uuid';
import { AppError } from '@shopstack/errors';
import { retry } from '@shopstack/resilience';
import type { BackgroundTasks, Page } from '@shopstack/service-kit';
import type { CallContext } from './clients/call-context.js';
import type { ProductsClient } from './clients/products.client.js';
import type { UsersClient } from './clients/users.client.js';
import type { IdempotencyLocks } from './idempotency-locks.js';
import { priceOrder, requestFingerprint } from './orders.pricing.js';
import type { Order, OrdersRepository } from './orders.repository.js';
import type { CreateOrderInput } from './orders.schemas.js';

export interface OrdersDomainDeps {
  repository: OrdersRepository;
  users: UsersClient;
  products: ProductsClient;
  locks: IdempotencyLocks;
  background: BackgroundTasks;
}

export interface PlaceContext extends CallContext {
  idempotencyKey: string | undefined;
}

export type OrdersDomain = ReturnType<typeof createOrdersDomain>;

/**
 * Whether a failed reservation call may have taken stock anyway: a refusal (4xx) or an
 * open circuit (the call never left) took nothing; a timeout or a 5xx may have.
 */
function mayHaveReserved(error: unknown): boolean {
  if (!(error instanceof AppError)) return true;
  return error.status >= 500 && (error.cause as { code?: unknown } | undefined)?.code !== 'EOPENBREAKER';
}

const COMPENSATION_RETRY = { retries: 12, baseDelayMs: 500, maxDelayMs: 8000, deadlineMs: 60_000 };

export function createOrdersDomain({ repository, users, products, locks, background }: OrdersDomainDeps) {
  function replay(previous: { order: Order; fingerprint: string | null }, fingerprint: string) {
    if (previous.fingerprint !== fingerprint) {
      throw AppError.unprocessable('idempotency_key_reused', 'This Idempotency-Key was already used for a different order');
    }
    return { order: previous.order, replayed: true };
  }

  /**
   * Gives the reservation back in the background, without making the client wait. The
   * release is idempotent, and one that arrives before a slow reservation still wins, so it
   * is retried for up to a minute: products may be the very thing that just failed.
   *
   * After a failed insert the order may still exist (a database that dies between making
   * the COMMIT durable and answering it leaves the caller with an error for a stored order),
   * so with `unlessStored` the stock is released only once the database says, after any
   * transaction still inserting the order has ended, that there is no such order.
   */
  function releaseLater(id: string, ctx: PlaceContext, { unlessStored = false } = {}): void {
    ctx.log.info({ reservationId: id, unlessStored }, 'giving back the stock of an order that was not placed');
    background.track(
      retry(
        async () => {
          if (!unlessStored || !(await repository.isStored(id))) await products.release(id, ctx);
        },
        { policy: COMPENSATION_RETRY, shouldRetry: () => true },
      ).catch((error: unknown) =>
        ctx.log.error({ err: error, reservationId: id }, 'could not release a reservation; its stock stays taken'),
      ),
    );
  }

  /** Check the user, reserve the stock (keyed by the new order's id), store the order. */
  async function create(input: CreateOrderInput, fingerprint: string, ctx: PlaceContext): Promise<{ order: Order; replayed: boolean }> {
    await users.assertExists(input.userId, ctx);
    const id = uuidv7();
    let priced: ReturnType<typeof priceOrder>;
    try {
      priced = priceOrder(await products.reserve(id, input.items, ctx));
    } catch (error) {
      if (mayHaveReserved(error)) releaseLater(id, ctx);
      throw error;
    }
    let stored: Order | undefined;
    try {
      stored = await repository.insert({ id, userId: input.userId, ...priced, fingerprint, idempotencyKey: ctx.idempotencyKey });
    } catch (error) {
      releaseLater(id, ctx, { unlessStored: true });
      throw error;
    }
    if (stored) return { order: stored, replayed: false };
    // A concurrent request with the same key stored its order first (possible only while
    // Redis, and so the lock, was down): give our stock back and answer theirs.
    releaseLater(id, ctx);
    const first = ctx.idempotencyKey === undefined ? undefined : await repository.findByIdempotencyKey(ctx.idempotencyKey);
    if (!first) throw new AppError(500, 'internal_error', 'An order lost to a concurrent one with the same key was not found');
    return replay(first, fingerprint);
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
