import { describe, expect, it } from 'vitest';
import { script } from './scripts.js';
import { api, createProduct, createUser, placeOrder, swarm, swarmScript, waitUntil } from './swarm.js';

describe('data across docker stack rm and a new deploy', () => {
  it('keeps users, products, orders and their stock: volumes and secrets outlive the stack', async () => {
    const user = await createUser();
    const product = await createProduct(5);
    const order = await placeOrder(user.id, product.id, 2);
    expect(order.status).toBe(201);

    await swarmScript('remove.sh');
    // The images are there already: deploy.sh as a student would run it, less the build.
    const output = await script('deploy.sh', { ...swarm().env, SKIP_BUILD: '1' });
    console.log(`[swarm] redeployed on the kept volumes: ${/converged in \d+s/.exec(output)?.[0]}`);
    await waitUntil('the API to answer', async () => (await api('/api/products?limit=1')).status === 200, 60_000);

    expect((await api(`/api/users/${user.id}`)).body).toEqual(user);
    expect((await api(`/api/orders/${order.body.id}`)).body).toEqual(order.body);
    expect((await api(`/api/products/${product.id}`)).body.stock).toBe(3);
  });
});
