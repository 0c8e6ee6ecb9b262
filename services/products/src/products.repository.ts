import type { Page, Database } from '@shopstack/db';
import type { CreateProductInput, UpdateProductInput } from '@shopstack/api-contract';

export interface Product {
  id: string;
  name: string;
  description: string | null;
  priceCents: number;
  stock: number;
  createdAt: string;
  updatedAt: string;
}

interface ProductRow {
  id: string;
  name: string;
  description: string | null;
  price_cents: number;
  stock: number;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, name, description, price_cents, stock, created_at, updated_at';

const toProduct = (row: ProductRow): Product => ({
  id: row.id,
  name: row.name,
  description: row.description,
  priceCents: row.price_cents,
  stock: row.stock,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

export type ProductsRepository = ReturnType<typeof createProductsRepository>;

export function createProductsRepository(db: Database) {
  return {
    async insert(id: string, input: CreateProductInput): Promise<Product> {
      const { rows } = await db.query<ProductRow>(
        `INSERT INTO products (id, name, description, price_cents, stock) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
        [id, input.name, input.description ?? null, input.priceCents, input.stock],
      );
      return toProduct(rows[0]!);
    },

    async findById(id: string): Promise<Product | undefined> {
      const { rows } = await db.query<ProductRow>(`SELECT ${COLUMNS} FROM products WHERE id = $1`, [id]);
      return rows[0] && toProduct(rows[0]);
    },

    async list({ limit, offset }: Page): Promise<{ items: Product[]; total: number }> {
      const [page, count] = await Promise.all([
        db.query<ProductRow>(`SELECT ${COLUMNS} FROM products ORDER BY id DESC LIMIT $1 OFFSET $2`, [limit, offset]),
        db.query<{ total: number }>('SELECT count(*)::int AS total FROM products'),
      ]);
      return { items: page.rows.map(toProduct), total: count.rows[0]!.total };
    },

    async update(id: string, patch: UpdateProductInput): Promise<Product | undefined> {
      const { rows } = await db.query<ProductRow>(
        `UPDATE products SET
           name = COALESCE($2, name),
           description = CASE WHEN $6 THEN $3 ELSE description END,
           price_cents = COALESCE($4, price_cents),
           stock = COALESCE($5, stock),
           updated_at = now()
         WHERE id = $1 RETURNING ${COLUMNS}`,
        // description may be set to null, so whether it was sent is passed on its own ($6).
        [id, patch.name ?? null, patch.description ?? null, patch.priceCents ?? null, patch.stock ?? null, patch.description !== undefined],
      );
      return rows[0] && toProduct(rows[0]);
    },
  };
}
