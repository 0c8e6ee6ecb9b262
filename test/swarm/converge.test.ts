import { describe, expect, it } from 'vitest';
import { api, asAdmin, createProduct, customer, login, placeOrder, replicas, swarm } from './swarm.js';

describe('the stack on a single-node swarm', () => {
  it('converges: two tasks of the gateway and each service, one of nginx, each database, Redis, Prometheus and each exporter', async () => {
    expect(await replicas()).toEqual({
      nginx: '1/1',
      'api-gateway': '2/2',
      users: '2/2',
      products: '2/2',
      orders: '2/2',
      'users-db': '1/1',
      'products-db': '1/1',
      'orders-db': '1/1',
      redis: '1/1',
      prometheus: '1/1',
      'nginx-exporter': '1/1',
      'redis-exporter': '1/1',
      'users-db-exporter': '1/1',
      'products-db-exporter': '1/1',
      'orders-db-exporter': '1/1',
    });
    console.log(`[swarm] time to converge after docker stack deploy: ${swarm().convergedInSeconds} s`);
  });

  it('places an order end to end through nginx, and reads it back', async () => {
    const user = await customer();
    const product = await createProduct(10, 2599);
    const order = await placeOrder(user, product.id, 3);
    expect(order.status).toBe(201);
    expect(order.body).toMatchObject({ userId: user.id, totalCents: 3 * 2599, status: 'confirmed' });
    expect((await api(`/api/orders/${order.body.id}`, { headers: user.auth })).body).toEqual(order.body);
    expect((await api(`/api/products/${product.id}`)).body.stock).toBe(7);
    const status = await asAdmin('/api/status');
    expect(status.body.services).toMatchObject({ users: { ready: true }, products: { ready: true }, orders: { ready: true } });
  });

  it('accepts a token whichever users task signed it, wherever it is checked: the replicas share the signing key', async () => {
    const user = await customer();
    // Logins and reads spread over both users tasks and both gateway tasks.
    const logins = [user, ...(await Promise.all(Array.from({ length: 5 }, () => login(user))))];
    for (const { auth } of logins) {
      const reads = await Promise.all(Array.from({ length: 6 }, () => api('/api/users/me', { headers: auth })));
      expect(reads.map((read) => `${read.status} ${read.body?.id}`)).toEqual(reads.map(() => `200 ${user.id}`));
    }
  });
});
