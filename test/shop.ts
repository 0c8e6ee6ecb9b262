import { randomUUID } from 'node:crypto';
import type { ApiResponse, JsonRequestInit } from '@shopstack/testing';

type Api = (path: string, init?: JsonRequestInit) => Promise<ApiResponse>;

export const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

/**
 * Users, products and orders made through the API as a client makes them, for the tests of
 * the running stack, on Compose (test/stack) and on Swarm (test/swarm).
 */
export function shop(api: Api, who: string) {
  return {
    async createUser(): Promise<{ id: string; email: string }> {
      const res = await api('/api/users', { method: 'POST', json: { email: `${who.toLowerCase()}.${unique()}@example.com`, name: `${who} Tester` } });
      if (res.status !== 201) throw new Error(`user not created: ${res.status} ${res.text}`);
      return res.body;
    },

    async createProduct(stock = 100, priceCents = 1500): Promise<{ id: string; stock: number }> {
      const res = await api('/api/products', { method: 'POST', json: { name: `Product ${unique()}`, priceCents, stock } });
      if (res.status !== 201) throw new Error(`product not created: ${res.status} ${res.text}`);
      return res.body;
    },

    /** One order of `quantity` of one product, with an Idempotency-Key of its own unless given. */
    placeOrder(userId: string, productId: string, quantity: number, init: JsonRequestInit = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has('Idempotency-Key')) headers.set('Idempotency-Key', randomUUID());
      return api('/api/orders', { ...init, method: 'POST', headers: Object.fromEntries(headers), json: { userId, items: [{ productId, quantity }] } });
    },
  };
}
