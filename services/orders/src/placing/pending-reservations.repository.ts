import type { Database, PoolClient } from '@shopstack/db';

// When a claimed release is tried again if it has not succeeded by then: a backoff that
// doubles with each attempt (1 s, 2 s, 4 s…) up to 30 s, for as long as products is away.
const NEXT_ATTEMPT = "now() + least(interval '1 second' * power(2, p.attempts), interval '30 seconds')";

export type PendingReservations = ReturnType<typeof createPendingReservations>;

/** The SQL of pending_reservations (see migrations/002): stock that must come back unless its order is stored. */
export function createPendingReservations(db: Database) {
  return {
    /** Written before products is asked: from now on, this id's stock comes back unless its order is stored. */
    async record(id: string): Promise<void> {
      await db.query('INSERT INTO pending_reservations (id) VALUES ($1)', [id]);
    },

    /** Products refused (or was never reached): nothing was taken, nothing to give back. */
    async forget(id: string): Promise<void> {
      await db.query("DELETE FROM pending_reservations WHERE id = $1 AND state = 'reserving'", [id]);
    },

    /**
     * Takes on giving this reservation back, unless its order was stored or the release is
     * someone else's already. A transaction still storing the order holds the row: the
     * claim waits for its outcome instead of guessing.
     */
    async claimRelease(id: string): Promise<boolean> {
      const { rowCount } = await db.query(
        `UPDATE pending_reservations p
            SET state = 'releasing', attempts = p.attempts + 1, next_attempt_at = ${NEXT_ATTEMPT}
          WHERE p.id = $1 AND p.state = 'reserving'`,
        [id],
      );
      return rowCount === 1;
    },

    /**
     * Claims up to `limit` releases that are due: those whose last attempt failed (after
     * the backoff above) and those whose request must have died, being
     * older than `abandonedAfterMs`. SKIP LOCKED lets replicas share the work, and a row
     * held by a transaction storing its order is left to that transaction.
     */
    async claimDue(abandonedAfterMs: number, limit: number): Promise<string[]> {
      const { rows } = await db.query<{ id: string }>(
        `UPDATE pending_reservations p
            SET state = 'releasing', attempts = p.attempts + 1, next_attempt_at = ${NEXT_ATTEMPT}
          WHERE p.id IN (
                SELECT id FROM pending_reservations
                 WHERE (state = 'releasing' AND next_attempt_at <= now())
                    OR (state = 'reserving' AND created_at <= now() - $1 * interval '1 millisecond')
                 ORDER BY created_at
                 LIMIT $2
                   FOR UPDATE SKIP LOCKED)
        RETURNING p.id`,
        [abandonedAfterMs, limit],
      );
      return rows.map((row) => row.id);
    },

    /** Products confirmed the release: done. */
    async released(id: string): Promise<void> {
      await db.query("DELETE FROM pending_reservations WHERE id = $1 AND state = 'releasing'", [id]);
    },
  };
}

/**
 * Inside the transaction that stores the order: consumes the pending row, so the order and
 * the end of its pending state commit together. False when the recovery pass claimed it
 * first (the request took too long): the stock is on its way back, so no order may be stored.
 */
export async function consumePending(client: PoolClient, id: string): Promise<boolean> {
  const { rowCount } = await client.query("DELETE FROM pending_reservations WHERE id = $1 AND state = 'reserving'", [id]);
  return rowCount === 1;
}

/** Inside the same transaction, when the order turned out not to be stored: its stock must go back. */
export async function markForRelease(client: PoolClient, id: string): Promise<void> {
  await client.query(
    "INSERT INTO pending_reservations (id, state, attempts, next_attempt_at) VALUES ($1, 'releasing', 1, now() + interval '1 second')",
    [id],
  );
}
