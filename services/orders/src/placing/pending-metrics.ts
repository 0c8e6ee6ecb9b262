import type { Database } from '@shopstack/db';
import type { Metrics } from '@shopstack/metrics';
import { withTimeout } from '@shopstack/resilience';

interface Pending {
  count: number;
  oldestAgeSeconds: number;
}

// Both figures in one cheap statement (created_at is indexed), run when Prometheus scrapes,
// not on a timer: they are read as of the scrape, and cost nothing when nobody reads them.
const PENDING = `SELECT count(*)::int AS count,
                        coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS "oldestAgeSeconds"
                   FROM pending_reservations`;

/**
 * pending_reservations and pending_reservation_oldest_age_seconds: the stock out at products
 * for orders not stored (yet), and how long the oldest has waited to be given back, the
 * "nothing lost" promise's measure. The table is shared by every orders replica, so each
 * reports the same figures (read them with max, not sum). While the database does not answer
 * (a second at most), the last figures read are kept rather than a false zero.
 */
export function measurePendingReservations(db: Database, metrics: Metrics): void {
  let last: Pending = { count: 0, oldestAgeSeconds: 0 };
  // One query per scrape for both gauges: the registry reads them together.
  let reading: Promise<Pending> | undefined;
  const read = (): Promise<Pending> =>
    (reading ??= withTimeout(db.query<Pending>(PENDING), 1000, 'Postgres')
      .then(({ rows }) => (last = rows[0] ?? last), () => last)
      .finally(() => (reading = undefined)));
  metrics.sampled({ name: 'pending_reservations', help: 'Reservations taken at products for orders not stored (yet): stock to give back unless stored' }, async (gauge) =>
    gauge.set((await read()).count),
  );
  metrics.sampled({ name: 'pending_reservation_oldest_age_seconds', help: 'Age of the oldest pending reservation, in seconds (0 when none)' }, async (gauge) =>
    gauge.set((await read()).oldestAgeSeconds),
  );
}
