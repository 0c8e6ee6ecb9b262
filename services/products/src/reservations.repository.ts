import type { ReservedLine } from '@shopstack/api-contract';
import { type Database, type PoolClient } from '@shopstack/db';
import type { ReservationItem } from './products.schemas.js';

/** A product that could not be reserved: `available` is null when it does not exist. */
interface Shortage {
  productId: string;
  requested: number;
  available: number | null;
}

export type ReserveResult =
  | { outcome: 'reserved'; lines: ReservedLine[] }
  | { outcome: 'replayed'; lines: ReservedLine[]; released: boolean }
  | { outcome: 'short'; shortages: Shortage[] };

/** Thrown inside the transaction so that it rolls back every decrement already made. */
class Shortfall extends Error {
  constructor(readonly shortages: Shortage[]) {
    super('stock shortfall');
  }
}

async function readReservation(client: PoolClient, id: string): Promise<{ lines: ReservedLine[]; released: boolean }> {
  // LEFT JOINs: a released tombstone has no items but must still read as released.
  const { rows } = await client.query<{ released: boolean; product_id: string | null; name: string; quantity: number; unit_price_cents: number }>(
    `SELECT r.released_at IS NOT NULL AS released, i.product_id, p.name, i.quantity, i.unit_price_cents
       FROM reservations r
       LEFT JOIN reservation_items i ON i.reservation_id = r.id
       LEFT JOIN products p ON p.id = i.product_id
      WHERE r.id = $1
      ORDER BY i.product_id`,
    [id],
  );
  return {
    released: rows[0]?.released ?? false,
    lines: rows
      .filter((row) => row.product_id !== null)
      .map((row) => ({ productId: row.product_id!, name: row.name, quantity: row.quantity, unitPriceCents: row.unit_price_cents })),
  };
}

export type ReservationsRepository = ReturnType<typeof createReservationsRepository>;

export function createReservationsRepository(db: Database) {
  return {
    /**
     * Takes stock for every item or for none. Each decrement is a single conditional UPDATE
     * (`stock >= quantity`): concurrent reservations of the same product queue on its row
     * lock and re-check the condition, so stock can never go below zero.
     */
    async reserve(id: string, items: readonly ReservationItem[]): Promise<ReserveResult> {
      try {
        return await db.transaction(async (client): Promise<ReserveResult> => {
          const created = await client.query('INSERT INTO reservations (id) VALUES ($1) ON CONFLICT (id) DO NOTHING', [id]);
          if (created.rowCount === 0) return { outcome: 'replayed', ...(await readReservation(client, id)) };

          const lines: ReservedLine[] = [];
          const shortages: Shortage[] = [];
          // Rows are locked in product-id order, so two reservations cannot deadlock.
          for (const item of [...items].sort((a, b) => a.productId.localeCompare(b.productId))) {
            const { rows } = await client.query<{ name: string; price_cents: number }>(
              `UPDATE products SET stock = stock - $2, updated_at = now()
                WHERE id = $1 AND stock >= $2
                RETURNING name, price_cents`,
              [item.productId, item.quantity],
            );
            if (rows[0]) {
              lines.push({ productId: item.productId, name: rows[0].name, quantity: item.quantity, unitPriceCents: rows[0].price_cents });
            } else {
              const current = await client.query<{ stock: number }>('SELECT stock FROM products WHERE id = $1', [item.productId]);
              shortages.push({ productId: item.productId, requested: item.quantity, available: current.rows[0]?.stock ?? null });
            }
          }
          if (shortages.length > 0) throw new Shortfall(shortages);

          await client.query(
            `INSERT INTO reservation_items (reservation_id, product_id, quantity, unit_price_cents)
             SELECT $1, * FROM unnest($2::uuid[], $3::int[], $4::int[])`,
            [id, lines.map((l) => l.productId), lines.map((l) => l.quantity), lines.map((l) => l.unitPriceCents)],
          );
          return { outcome: 'reserved', lines };
        });
      } catch (error) {
        if (error instanceof Shortfall) return { outcome: 'short', shortages: error.shortages };
        throw error;
      }
    },

    /**
     * Puts the stock back, once; answers the products whose stock changed. Releasing an id
     * that was never reserved leaves a released tombstone, so a reservation that arrives
     * late (its caller timed out and gave up) is refused instead of holding stock forever.
     */
    async release(id: string): Promise<string[]> {
      return db.transaction(async (client) => {
        const { rows } = await client.query<{ tombstone: boolean }>(
          `INSERT INTO reservations (id, released_at) VALUES ($1, now())
           ON CONFLICT (id) DO UPDATE SET released_at = now() WHERE reservations.released_at IS NULL
           RETURNING (xmax = 0) AS tombstone`,
          [id],
        );
        // No row: released before. A new row: a tombstone, nothing was taken.
        if (!rows[0] || rows[0].tombstone) return [];
        const restocked = await client.query<{ id: string }>(
          `UPDATE products p SET stock = p.stock + i.quantity, updated_at = now()
             FROM reservation_items i
            WHERE i.reservation_id = $1 AND p.id = i.product_id
            RETURNING p.id`,
          [id],
        );
        return restocked.rows.map((row) => row.id);
      });
    },
  };
}
