import { describe, expect, it } from 'vitest';
import { script } from './scripts.js';
import { api, createProduct, customer, placeOrder, swarm, swarmScript, waitUntil } from './swarm.js';

describe('data across docker stack rm and a new deploy', () => {
  it('keeps users, products, orders, their stock and logins: volumes and secrets outlive the stack', async () => {
    const user = await customer();
    const product = await createProduct(5);
    const order = await placeOrder(user, product.id, 2);
    expect(order.status).toBe(201);

    await swarmScript('remove.sh');
    // The images are there already: deploy.sh as a student would run it, less the build.
    const output = await script('deploy.sh', { ...swarm().env, SKIP_BUILD: '1' });
    console.log(`[swarm] redeployed on the kept volumes: ${/converged in \d+s/.exec(output)?.[0]}`);
    await waitUntil('the API to answer', async () => (await api('/api/products?limit=1')).status === 200, 60_000);

    // The token signed before the stack went still opens the customer's data: the signing
    // key is a secret, and outlived it.
    expect((await api(`/api/users/${user.id}`, { headers: user.auth })).body).toEqual(user.user);
    expect((await api(`/api/orders/${order.body.id}`, { headers: user.auth })).body).toEqual(order.body);
    expect((await api(`/api/products/${product.id}`)).body.stock).toBe(3);
  });
});
