import type { Logger } from '@shopstack/logger';
import type { ProductsClient } from './clients/products.client.js';
import type { PendingReservations } from './pending-reservations.repository.js';

export interface StockRecoverySettings {
  /** A reservation still pending after this long belongs to a request that died. */
  abandonedAfterMs: number;
  /** Releases claimed per pass. */
  batchSize: number;
}

/**
 * One recovery pass: gives back the stock of every reservation that is due (see
 * PendingReservations.claimDue) and forgets each one products confirms. A release that
 * fails stays claimed and comes due again after a backoff, for as long as products is
 * away. Safe in several replicas at once, and a release is idempotent at products anyway.
 * Resolves with how many reservations were given back.
 */
export function createStockRecovery(
  { pending, products, logger }: { pending: PendingReservations; products: ProductsClient; logger: Logger },
  { abandonedAfterMs, batchSize }: StockRecoverySettings,
) {
  return async function recoverStock(): Promise<number> {
    const due = await pending.claimDue(abandonedAfterMs, batchSize);
    let released = 0;
    for (const id of due) {
      // The reservation's id as the request id: `docker compose logs | grep <order id>`.
      const ctx = { requestId: `recovery:${id}`, log: logger.child({ requestId: `recovery:${id}` }) };
      try {
        await products.release(id, ctx);
        await pending.released(id);
        released += 1;
        ctx.log.info({ reservationId: id }, 'gave back the stock of an order that was never placed');
      } catch (error) {
        // Products is likely away: the rest of this batch comes due again after its backoff.
        ctx.log.warn({ err: error, reservationId: id }, 'could not give the stock back yet; will retry');
        break;
      }
    }
    return released;
  };
}
