import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { api, createProduct, customer, logs, placeOrder, waitUntil } from './stack.js';

describe('end to end, through nginx only', () => {
  it('signs a customer up, creates a product as the admin, places an order as the customer and reads it back', async () => {
    const user = await customer();
    const product = await createProduct(10, 2599);
    const order = await placeOrder(user, product.id, 3);
    expect(order.status).toBe(201);
    expect(order.body).toMatchObject({ userId: user.id, totalCents: 3 * 2599, status: 'confirmed' });

    const read = await api(`/api/orders/${order.body.id}`, { headers: user.auth });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(order.body);
    for (const query of [`?userId=${user.id}`, '']) {
      const listed = await api(`/api/orders${query}`, { headers: user.auth });
      expect(listed.body.items.map((o: { id: string }) => o.id), query).toEqual([order.body.id]);
    }
    expect((await api(`/api/products/${product.id}`)).body.stock).toBe(7);
  });

  it('returns the request id it was sent, and every service logs it', async () => {
    const requestId = `e2e-${randomUUID()}`;
    const user = await customer();
    const product = await createProduct();
    const order = await api('/api/orders', {
      method: 'POST',
      headers: { 'X-Request-ID': requestId, ...user.auth },
      json: { userId: user.id, items: [{ productId: product.id, quantity: 1 }] },
    });
    expect(order.status).toBe(201);
    expect(order.headers.get('x-request-id')).toBe(requestId);
    for (const service of ['nginx', 'api-gateway', 'orders', 'users', 'products'] as const) {
      await waitUntil(`${service} to log ${requestId}`, async () => (await logs(service)).includes(`"requestId":"${requestId}"`), 10_000);
    }
  });

  it('gives a request without an id one, and returns it', async () => {
    const res = await api('/api/products?limit=1');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('serves a product from the database first, then from the cache', async () => {
    const product = await createProduct();
    const first = await api(`/api/products/${product.id}`);
    const second = await api(`/api/products/${product.id}`);
    expect(first.headers.get('x-cache')).toBe('miss');
    expect(second.headers.get('x-cache')).toBe('hit');
    expect(second.body).toEqual(first.body);
  });
});
