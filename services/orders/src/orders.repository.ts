import { type Page, type Database } from '@shopstack/db';
import type { OrderLine } from './orders.pricing.js';
import { consumePending, markForRelease } from './placing/pending-reservations.repository.js';

export interface Order {
  id: string;
  userId: string;
  status: string;
  totalCents: number;
  items: OrderLine[];
  createdAt: string;
}

export interface NewOrder {
  id: string;
  userId: string;
  totalCents: number;
  items: OrderLine[];
  idempotencyKey?: string;
  fingerprint: string;
}

interface OrderRow {
  id: string;
  user_id: string;
  status: string;
  total_cents: string; // bigint arrives as a string
  created_at: Date;
  request_fingerprint: string | null;
}

interface ItemRow {
  order_id: string;
  product_id: string;
  product_name: string;
  quantity: number;
  unit_price_cents: number;
}

const ORDER_COLUMNS = 'id, user_id, status, total_cents, created_at, request_fingerprint';

/**
 * What storing an order came to: stored; not stored because a concurrent request with the
 * same idempotency key stored its own first (this one's stock must go back); or abandoned,
 * because the recovery pass took its reservation back while the request was slow.
 */
export type InsertOutcome = { outcome: 'placed'; order: Order } | { outcome: 'duplicate' } | { outcome: 'abandoned' };

export type OrdersRepository = ReturnType<typeof createOrdersRepository>;

export function createOrdersRepository(db: Database) {
  /** Orders with their lines, in two queries whatever the number of orders. */
  async function withItems(rows: OrderRow[]): Promise<Order[]> {
    if (rows.length === 0) return [];
    const { rows: items } = await db.query<ItemRow>(
      'SELECT order_id, product_id, product_name, quantity, unit_price_cents FROM order_items WHERE order_id = ANY($1::uuid[]) ORDER BY product_id',
      [rows.map((row) => row.id)],
    );
    return rows.map((row) => ({
      id: row.id,
      userId: row.user_id,
      status: row.status,
      totalCents: Number(row.total_cents),
      createdAt: row.created_at.toISOString(),
      items: items
        .filter((item) => item.order_id === row.id)
        .map((item) => ({
          productId: item.product_id,
          name: item.product_name,
          quantity: item.quantity,
          unitPriceCents: item.unit_price_cents,
          lineTotalCents: item.quantity * item.unit_price_cents,
        })),
    }));
  }

  return {
    /**
     * The order and its lines in one transaction, which also ends the order's pending
     * reservation (see placing/pending-reservations.repository.ts): either both commit or neither.
     */
    async insert(order: NewOrder): Promise<InsertOutcome> {
      const outcome = await db.transaction(async (client): Promise<InsertOutcome | OrderRow> => {
        if (!(await consumePending(client, order.id))) return { outcome: 'abandoned' };
        const { rows } = await client.query<OrderRow>(
          `INSERT INTO orders (id, user_id, total_cents, idempotency_key, request_fingerprint)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (user_id, idempotency_key) DO NOTHING
           RETURNING ${ORDER_COLUMNS}`,
          [order.id, order.userId, order.totalCents, order.idempotencyKey ?? null, order.fingerprint],
        );
        if (!rows[0]) {
          await markForRelease(client, order.id);
          return { outcome: 'duplicate' };
        }
        await client.query(
          `INSERT INTO order_items (order_id, product_id, product_name, quantity, unit_price_cents)
           SELECT $1, * FROM unnest($2::uuid[], $3::text[], $4::int[], $5::int[])`,
          [
            order.id,
            order.items.map((item) => item.productId),
            order.items.map((item) => item.name),
            order.items.map((item) => item.quantity),
            order.items.map((item) => item.unitPriceCents),
          ],
        );
        return rows[0];
      });
      if ('outcome' in outcome) return outcome;
      return { outcome: 'placed', order: (await withItems([outcome]))[0]! };
    },

    async findById(id: string): Promise<Order | undefined> {
      const { rows } = await db.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE id = $1`, [id]);
      return (await withItems(rows))[0];
    },

    /** The order this user placed with this key: a key is unique per user only. */
    async findByIdempotencyKey(userId: string, key: string): Promise<{ order: Order; fingerprint: string | null } | undefined> {
      const { rows } = await db.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE user_id = $1 AND idempotency_key = $2`, [userId, key]);
      const [order] = await withItems(rows);
      return order && { order, fingerprint: rows[0]!.request_fingerprint };
    },

    async listByUser(userId: string, { limit, offset }: Page): Promise<{ items: Order[]; total: number }> {
      const [page, count] = await Promise.all([
        db.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE user_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3`, [
          userId,
          limit,
          offset,
        ]),
        db.query<{ total: number }>('SELECT count(*)::int AS total FROM orders WHERE user_id = $1', [userId]),
      ]);
      return { items: await withItems(page.rows), total: count.rows[0]!.total };
    },
  };
}
