import { describe, expect, it } from 'vitest';
import { api, compose, createProduct, customer, inspect, logs, waitHealthy, waitUntil } from './stack.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('graceful shutdown', () => {
  it('lets a request that cannot be retried finish when its service is stopped mid-request, then exits 0 within its budget', async () => {
    const user = await customer();
    const product = await createProduct(10, 500);
    // products frozen: the order waits on its reservation. No Idempotency-Key: if orders
    // dropped this request, nobody could safely send it again.
    await compose('pause', 'products');
    const order = api('/api/orders', { method: 'POST', headers: user.auth, json: { userId: user.id, items: [{ productId: product.id, quantity: 2 }] } });
    // `docker compose stop` sends SIGTERM and waits up to 10 s before a SIGKILL.
    const stoppedAt = Date.now() + 500;
    const stopping = sleep(500).then(() => compose('stop', 'orders'));
    let answer: Awaited<typeof order>;
    try {
      await sleep(1000).finally(() => compose('unpause', 'products'));
      [answer] = await Promise.all([order, stopping]);
      expect(answer.status, answer.text).toBe(201);
      expect(answer.body.items).toEqual([expect.objectContaining({ productId: product.id, quantity: 2 })]);
      // Out well before Docker's SIGKILL, on its own, with exit code 0.
      expect(Date.now() - stoppedAt).toBeLessThan(9000);
      expect(await inspect('orders', '{{.State.ExitCode}}')).toBe('0');
      const lines = await logs('orders');
      expect(lines).toContain('shutting down: finishing in-flight requests');
      expect(lines).toContain('"msg":"stopped"');
    } finally {
      // Whatever failed above, the next file finds orders running.
      await stopping.catch(() => undefined);
      await compose('start', 'orders');
      await waitHealthy('orders');
    }
    await waitUntil('the order to be readable', async () => (await api(`/api/orders/${answer.body.id}`, { headers: user.auth })).status === 200, 30_000);
  });
});
