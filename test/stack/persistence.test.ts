import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { api, compose, createProduct, createUser, exec, forgetNginxPort } from './stack.js';

describe('persistence', () => {
  it('keeps users, products, orders and Redis keys across `down` and `up` (volumes kept)', async () => {
    const user = await createUser();
    const product = await createProduct(20, 999);
    const order = await api('/api/orders', {
      method: 'POST',
      headers: { 'Idempotency-Key': randomUUID() },
      json: { userId: user.id, items: [{ productId: product.id, quantity: 4 }] },
    });
    expect(order.status).toBe(201);
    const key = `persistence:${randomUUID()}`;
    expect((await exec('redis', ['redis-cli', 'SET', key, 'still-here'])).output).toContain('OK');
    // AOF is fsynced every second; give it that second.
    await new Promise((resolve) => setTimeout(resolve, 1500));

    await compose('down');
    forgetNginxPort();
    await compose('up', '-d', '--wait');

    expect((await api(`/api/users/${user.id}`)).body).toMatchObject({ id: user.id, email: user.email });
    expect((await api(`/api/products/${product.id}`)).body).toMatchObject({ id: product.id, stock: 16 });
    expect((await api(`/api/orders/${order.body.id}`)).body).toEqual(order.body);
    expect((await exec('redis', ['redis-cli', 'GET', key])).output.trim()).toBe('still-here');
  });
});
