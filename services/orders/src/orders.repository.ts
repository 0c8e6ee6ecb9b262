import { withTransaction, type Pool } from '@shopstack/db';
import type { Page } from '@shopstack/service-kit';
import type { OrderLine } from './orders.pricing.js';

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

// Held by the transaction inserting an order, and awaited by whoever asks whether it was
// stored: the question then waits for the insert's outcome.
const LOCK_ORDER = 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))';

export type OrdersRepository = ReturnType<typeof createOrdersRepository>;

export function createOrdersRepository(db: Pool) {
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
    /** The order and its lines in one transaction; undefined when its idempotency key is taken. */
    async insert(order: NewOrder): Promise<Order | undefined> {
      const row = await withTransaction(db, async (client) => {
        await client.query(LOCK_ORDER, [order.id]);
        const { rows } = await client.query<OrderRow>(
          `INSERT INTO orders (id, user_id, total_cents, idempotency_key, request_fingerprint)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (idempotency_key) DO NOTHING
           RETURNING ${ORDER_COLUMNS}`,
          [order.id, order.userId, order.totalCents, order.idempotencyKey ?? null, order.fingerprint],
        );
        if (!rows[0]) return undefined;
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
      return row && (await withItems([row]))[0];
    },

    /**
     * Whether the order exists, asked only once no transaction is still inserting it: an
     * insert whose connection failed may yet commit, and it holds this lock until it ends.
     */
    async isStored(id: string): Promise<boolean> {
      return withTransaction(db, async (client) => {
        await client.query(LOCK_ORDER, [id]);
        const { rows } = await client.query('SELECT 1 FROM orders WHERE id = $1', [id]);
        return rows.length > 0;
      });
    },

    async findById(id: string): Promise<Order | undefined> {
      const { rows } = await db.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE id = $1`, [id]);
      return (await withItems(rows))[0];
    },

    async findByIdempotencyKey(key: string): Promise<{ order: Order; fingerprint: string | null } | undefined> {
      const { rows } = await db.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE idempotency_key = $1`, [key]);
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
