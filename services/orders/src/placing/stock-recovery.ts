import type { Database } from '@shopstack/db';
import type { ServiceClient } from '@shopstack/http-client';
import type { Logger } from '@shopstack/logger';
import type { Metrics } from '@shopstack/metrics';
import { createProductsClient } from '../clients/products.client.js';
import { ordersKeys, productsToken } from '../clients/service-identity.js';
import { createPendingReservations } from './pending-reservations.repository.js';

export interface StockRecoverySettings {
  /** A reservation still pending after this long belongs to a request that died. */
  abandonedAfterMs: number;
  /** Releases claimed per pass. */
  batchSize: number;
}

/**
 * One recovery pass, for the server to run at start and then steadily: gives back the stock
 * of every note that is due (see PendingReservations.claimDue) and forgets each one
 * products confirms. A release that fails stays claimed and comes due again after a
 * backoff, for as long as products is away. Safe in several replicas at once, and a release
 * is idempotent at products anyway. Resolves with how many reservations were given back;
 * never rejects, so that a timer can run it: a failed pass is logged and the next retries.
 */
export function createStockRecovery(
  { db, products, logger, metrics }: { db: Database; products: ServiceClient; logger: Logger; metrics: Metrics },
  { abandonedAfterMs, batchSize }: StockRecoverySettings,
): () => Promise<number> {
  const pending = createPendingReservations(db);
  // Products gives stock back to orders alone: releases carry orders' token, as a request's do.
  const reservations = createProductsClient(products, productsToken(ordersKeys(db)));
  const releases = metrics.counter({ name: 'stock_recovery_releases_total', help: 'Releases tried by the recovery pass: released, or failed (tried again later)', labelNames: ['outcome'] });

  async function giveBackDue(): Promise<number> {
    const due = await pending.claimDue(abandonedAfterMs, batchSize);
    let released = 0;
    for (const id of due) {
      // The reservation's id as the request id: `docker compose logs | grep <order id>`.
      const ctx = { requestId: `recovery:${id}`, log: logger.child({ requestId: `recovery:${id}` }) };
      try {
        await reservations.release(id, ctx);
        await pending.released(id);
        released += 1;
        releases.inc({ outcome: 'released' });
        ctx.log.info({ reservationId: id }, 'gave back the stock of an order that was never placed');
      } catch (error) {
        // Products is likely away: the rest of this batch comes due again after its backoff.
        releases.inc({ outcome: 'failed' });
        ctx.log.warn({ err: error, reservationId: id }, 'could not give the stock back yet; will retry');
        break;
      }
    }
    return released;
  }

  return () =>
    giveBackDue().catch((error: unknown) => {
      logger.warn({ err: error }, 'stock recovery pass failed; will retry');
      return 0;
    });
}
