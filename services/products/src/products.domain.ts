import { v7 as uuidv7 } from 'uuid';
import { AppError } from '@shopstack/errors';
import type { Page } from '@shopstack/db';
import type { JsonCache } from '@shopstack/redis';
import type { CreateProductInput, ReservedLine, UpdateProductInput } from '@shopstack/api-contract';
import type { ReservationItem } from './products.schemas.js';
import type { Product, ProductsRepository } from './products.repository.js';
import type { ReservationsRepository } from './reservations.repository.js';

export interface ProductsDomainDeps {
  products: ProductsRepository;
  reservations: ReservationsRepository;
  cache: JsonCache;
  cacheTtlSeconds: number;
}

export type ProductsDomain = ReturnType<typeof createProductsDomain>;

const productCacheKey = (id: string) => `products:product:${id}`;

const sameItems = (lines: readonly ReservedLine[], items: readonly ReservationItem[]) =>
  lines.length === items.length &&
  items.every((item) => lines.some((line) => line.productId === item.productId && line.quantity === item.quantity));

export function createProductsDomain({ products, reservations, cache, cacheTtlSeconds }: ProductsDomainDeps) {
  // Every write drops the cached copy; the TTL bounds staleness if Redis missed the delete.
  const invalidate = (ids: readonly string[]) => Promise.all(ids.map((id) => cache.delete(productCacheKey(id))));

  return {
    create: (input: CreateProductInput): Promise<Product> => products.insert(uuidv7(), input),

    /** Cache-aside: Redis first, then Postgres, stored for the TTL. */
    async get(id: string): Promise<{ product: Product; cached: boolean }> {
      const { value, hit } = await cache.remember(productCacheKey(id), cacheTtlSeconds, () => products.findById(id));
      if (!value) throw AppError.notFound('Product');
      return { product: value, cached: hit };
    },

    list: (page: Page) => products.list(page),

    async update(id: string, patch: UpdateProductInput): Promise<Product> {
      const product = await products.update(id, patch);
      if (!product) throw AppError.notFound('Product');
      await invalidate([id]);
      return product;
    },

    /** All items or none; replaying the same reservation id answers the first result. */
    async reserve(id: string, items: readonly ReservationItem[]): Promise<{ created: boolean; lines: ReservedLine[] }> {
      const result = await reservations.reserve(id, items);
      switch (result.outcome) {
        case 'short': {
          const unknown = result.shortages.filter((shortage) => shortage.available === null);
          if (unknown.length > 0) {
            throw AppError.unprocessable(
              'unknown_product',
              'Some products do not exist',
              unknown.map(({ productId }) => ({ field: 'items', productId, message: 'does not exist' })),
            );
          }
          throw AppError.conflict(
            'insufficient_stock',
            'Not enough stock for some items',
            result.shortages.map(({ productId, requested, available }) => ({
              field: 'items',
              productId,
              message: `only ${available} in stock`,
              requested,
              available: available ?? 0,
            })),
          );
        }
        case 'replayed':
          if (result.released) throw AppError.conflict('reservation_released', 'This reservation was released');
          if (!sameItems(result.lines, items)) {
            throw AppError.conflict('reservation_conflict', 'This reservation id was used for other items');
          }
          return { created: false, lines: result.lines };
        case 'reserved':
          await invalidate(result.lines.map((line) => line.productId));
          return { created: true, lines: result.lines };
      }
    },

    async release(id: string): Promise<void> {
      await invalidate(await reservations.release(id));
    },
  };
}
