import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { api, compose, createProduct, customer, forgetNginxPort, redisCli } from './stack.js';

describe('persistence', () => {
  it('keeps users, products, orders, Redis keys and logins across `down` and `up` (volumes kept)', async () => {
    const user = await customer();
    const product = await createProduct(20, 999);
    const order = await api('/api/orders', {
      method: 'POST',
      headers: { 'Idempotency-Key': randomUUID(), ...user.auth },
      json: { userId: user.id, items: [{ productId: product.id, quantity: 4 }] },
    });
    expect(order.status).toBe(201);
    const key = `persistence:${randomUUID()}`;
    expect((await redisCli('SET', key, 'still-here')).output).toContain('OK');
    // AOF is fsynced every second; give it that second.
    await new Promise((resolve) => setTimeout(resolve, 1500));

    await compose('down');
    forgetNginxPort();
    await compose('up', '-d', '--wait');

    // The access token signed before `down` still opens the customer's data: the signing key
    // is kept with users' data, so a restart logs nobody out.
    expect((await api(`/api/users/${user.id}`, { headers: user.auth })).body).toMatchObject({ id: user.id, email: user.email });
    expect((await api(`/api/products/${product.id}`)).body).toMatchObject({ id: product.id, stock: 16 });
    expect((await api(`/api/orders/${order.body.id}`, { headers: user.auth })).body).toEqual(order.body);
    expect((await redisCli('GET', key)).output.trim()).toBe('still-here');
  });
});
