import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { api, compose, containerId, crash, createProduct, customer, docker, exec, inspect, waitHealthy, waitUntil } from './stack.js';
import type { Account } from '../shop.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The README's worst case for stock to come back once orders and products are up again:
// RECOVERY_ABANDONED_AFTER_MS (30 s) + RECOVERY_INTERVAL_MS (5 s), with room for a slow machine.
const RECOVERY_BOUND_MS = 60_000;

/** One number, read by SQL in a database's own container: the truth, past any cache. */
async function count(database: 'products' | 'orders', sql: string): Promise<number> {
  const { code, output } = await exec(`${database}-db`, ['psql', '-U', database, '-d', database, '-tAc', sql]);
  if (code !== 0) throw new Error(`psql in ${database}-db: ${output}`);
  return Number(output.trim());
}

/** Where a product's units are: in stock, or in stored orders. */
async function units(productId: string): Promise<{ stock: number; ordered: number }> {
  return {
    stock: await count('products', `SELECT stock FROM products WHERE id = '${productId}'`),
    ordered: await count('orders', `SELECT coalesce(sum(quantity), 0) FROM order_items WHERE product_id = '${productId}'`),
  };
}

/** Clients placing one-unit orders as `buyer`, each with its own Idempotency-Key, until stopped. */
function placeOrdersUntilStopped(clients: number, buyer: Account, productId: string) {
  let stopped = false;
  const answers: number[] = [];
  const running = Array.from({ length: clients }, async () => {
    for (let i = 0; i < 5000 && !stopped; i += 1) {
      const res = await api('/api/orders', {
        method: 'POST',
        headers: { 'Idempotency-Key': randomUUID(), ...buyer.auth },
        json: { userId: buyer.id, items: [{ productId, quantity: 1 }] },
      }).catch(() => ({ status: 0 }));
      answers.push(res.status);
      if (res.status !== 201) await sleep(200);
    }
  });
  return {
    answers,
    async stop() {
      stopped = true;
      await Promise.all(running);
    },
  };
}

/** Waits until every unit is either in stock or in a stored order, or fails saying where the rest are. */
async function expectEveryUnitAccountedFor(productId: string, initial: number): Promise<number> {
  const startedAt = Date.now();
  let last = { stock: 0, ordered: 0 };
  await waitUntil(
    'every unit to be in stock or in a stored order',
    async () => {
      last = await units(productId);
      return last.stock + last.ordered === initial;
    },
    RECOVERY_BOUND_MS,
    1000,
  ).catch((error: Error) => {
    throw new Error(`${error.message}: ${last.stock} in stock + ${last.ordered} ordered ≠ ${initial}`);
  });
  return Date.now() - startedAt;
}

describe('no stock lost', () => {
  it('accounts for every unit after orders is SIGKILLed three times mid-order and restarted, once with products paused mid-reservation', async () => {
    const user = await customer();
    const product = await createProduct(1000, 100);
    const load = placeOrdersUntilStopped(6, user, product.id);
    try {
      for (let kill = 0; kill < 3; kill += 1) {
        await waitUntil('orders to be placed', async () => load.answers.filter((status) => status === 201).length > kill * 10 + 5, 60_000, 100);
        // The second time, products is frozen: reservations are sent and wait, then orders dies.
        if (kill === 1) await compose('pause', 'products');
        await sleep(kill === 1 ? 1500 : 0);
        const restarts = Number(await inspect('orders', '{{.RestartCount}}'));
        await crash('orders');
        await waitUntil('orders to be restarted', async () => Number(await inspect('orders', '{{.RestartCount}}')) > restarts, 30_000);
        if (kill === 1) {
          await sleep(500);
          await compose('unpause', 'products');
        }
        await waitHealthy('orders');
      }
    } finally {
      await compose('unpause', 'products').catch(() => undefined);
      await load.stop();
    }
    expect(load.answers.filter((status) => status === 201).length).toBeGreaterThan(30);
    const tookMs = await expectEveryUnitAccountedFor(product.id, 1000);
    console.log(`stock recovery after three SIGKILLs of orders: every unit accounted for ${Math.round(tookMs / 1000)} s after the last one`);
  });

  it('accounts for every unit when products-db is SIGKILLed while orders are placed', async () => {
    const user = await customer();
    const product = await createProduct(1000, 100);
    const load = placeOrdersUntilStopped(6, user, product.id);
    try {
      await waitUntil('orders to be placed', async () => load.answers.filter((status) => status === 201).length >= 10, 60_000, 100);
      await docker('kill', '--signal', 'KILL', await containerId('products-db'));
      await sleep(2000);
      await compose('start', 'products-db');
      await waitHealthy('products-db');
      await waitHealthy('products');
      const placedBefore = load.answers.filter((status) => status === 201).length;
      await waitUntil('orders to be placed again', async () => load.answers.filter((status) => status === 201).length > placedBefore + 5, 60_000, 200);
    } finally {
      await load.stop();
    }
    expect(load.answers.some((status) => status >= 500)).toBe(true);
    await expectEveryUnitAccountedFor(product.id, 1000);
  });
});
