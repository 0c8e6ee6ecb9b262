import { z } from 'zod';
import { requireAdmin } from '@shopstack/auth';
import type { Routes } from '@shopstack/service-kit';
import type { ProductsDomain } from './products.domain.js';
import { createProductBody, idSchema, paginationQuery, updateProductBody } from '@shopstack/api-contract';
import { reservationBody } from './products.schemas.js';

const idParams = z.object({ id: idSchema });

export function productsRoutes(products: ProductsDomain): Routes {
  // Reading the catalogue is anyone's; changing it, an admin's (401 anonymous, 403 a customer).
  return {
    '/': {
      post: async (req, res) => {
        requireAdmin(req);
        const product = await products.create(createProductBody.parse(req.body));
        res.status(201).location(`/products/${product.id}`).json(product);
      },
      get: async (req, res) => {
        const page = paginationQuery.parse(req.query);
        res.json({ ...(await products.list(page)), ...page });
      },
    },
    '/:id': {
      get: async (req, res) => {
        const { id } = idParams.parse(req.params);
        const { product, cached } = await products.get(id);
        res.set('X-Cache', cached ? 'hit' : 'miss').json(product);
      },
      patch: async (req, res) => {
        requireAdmin(req);
        const { id } = idParams.parse(req.params);
        res.json(await products.update(id, updateProductBody.parse(req.body)));
      },
    },
  };
}

/**
 * Stock reservations, for the orders service alone (app.ts asks for its token). Mounted
 * outside /products, so the gateway (which only forwards /api/products/…) never exposes
 * them to clients. PUT, because
 * the caller picks the id: a retried PUT is a replay, never a second decrement.
 */
export function reservationsRoutes(products: ProductsDomain): Routes {
  return {
    '/:id': {
      put: async (req, res) => {
        const { id } = idParams.parse(req.params);
        const { items } = reservationBody.parse(req.body);
        const { created, lines } = await products.reserve(id, items);
        res.status(created ? 201 : 200).json({ id, items: lines });
      },
      delete: async (req, res) => {
        const { id } = idParams.parse(req.params);
        await products.release(id);
        res.status(204).end();
      },
    },
  };
}
