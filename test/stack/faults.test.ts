import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { api, compose, containerId, createProduct, createUser, docker, exec, inspect, logs, waitHealthy, waitUntil } from './stack.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const status = async () => (await api('/api/status')).body;

async function timed<T>(work: Promise<T>): Promise<T & { ms: number }> {
  const startedAt = Date.now();
  const result = await work;
  return { ...result, ms: Date.now() - startedAt };
}

// Well under nginx's 30 s read timeout: an answer, not a hang.
const BOUNDED_MS = 15_000;

describe('a service dies', () => {
  it('serves products stale or a quick 503 while products is stopped; the breaker opens, then closes without a gateway restart', async () => {
    const gatewayStartedAt = await inspect('api-gateway', '{{.State.StartedAt}}');
    const known = await createProduct(5, 1234);
    const fresh = await api(`/api/products/${known.id}`);
    expect(fresh.status).toBe(200);
    const neverRead = await createProduct();
    const buyer = await createUser();

    await compose('stop', 'products');
    try {
      // One client, one request at a time: the retries of the first call are enough to
      // open the circuit, and every answer comes stale and bounded.
      for (let i = 0; i < 3 && (await status()).services.products.breaker.state !== 'open'; i += 1) {
        const answer = await timed(api(`/api/products/${known.id}`));
        expect(answer.ms).toBeLessThan(BOUNDED_MS);
        expect(answer.status).toBe(200);
        expect(answer.headers.get('x-cache')).toBe('stale');
        expect(answer.body).toEqual(fresh.body);
      }
      expect((await status()).services.products.breaker.state).toBe('open');
      // Once open, the stale copy comes at once, without waiting through retries (~3 s).
      const stale = await timed(api(`/api/products/${known.id}`));
      expect(stale.headers.get('x-cache')).toBe('stale');
      expect(stale.ms).toBeLessThan(2000);

      const quick = await timed(api(`/api/products/${neverRead.id}`));
      expect(quick.ms).toBeLessThan(BOUNDED_MS);
      expect(quick.status).toBe(503);
      expect(quick.body.error.code).toBe('service_unavailable');
      expect(Number(quick.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await status()).services.products).toMatchObject({ ready: false, breaker: { state: 'open' } });

      // Orders cannot reserve stock: a 503 the client can retry, not a 502 or a hang.
      const order = await timed(api('/api/orders', { method: 'POST', json: { userId: buyer.id, items: [{ productId: known.id, quantity: 1 }] } }));
      expect(order.ms).toBeLessThan(BOUNDED_MS);
      expect(order.status).toBe(503);
      expect(order.body.error.code).toBe('service_unavailable');
      expect(Number(order.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await compose('start', 'products');
    }
    await waitHealthy('products');
    await waitUntil('the breaker to go half-open', async () => (await status()).services.products.breaker.state === 'half-open', 30_000, 200);
    // Fresh data flows again: a change made now is what the next read shows.
    await waitUntil('products to answer fresh data', async () => {
      const res = await api(`/api/products/${known.id}`);
      return res.status === 200 && res.headers.get('x-cache') !== 'stale';
    }, 30_000);
    expect((await status()).services.products.breaker.state).toBe('closed');
    const patched = await api(`/api/products/${known.id}`, { method: 'PATCH', json: { priceCents: 4321 } });
    expect(patched.status).toBe(200);
    expect((await api(`/api/products/${known.id}`)).body.priceCents).toBe(4321);
    expect(await inspect('api-gateway', '{{.State.StartedAt}}')).toBe(gatewayStartedAt);
  });
});

describe('a database crashes', () => {
  it('keeps every order that got a 201 when orders-db is SIGKILLed mid-traffic; orders recovers by itself', async () => {
    const ordersStartedAt = await inspect('orders', '{{.State.StartedAt}}');
    const user = await createUser();
    const product = await createProduct(100_000, 100);
    const placed: string[] = [];
    const refused: Array<{ status: number; code: string }> = [];
    let stop = false;
    const placing = (async () => {
      for (let i = 0; i < 2000 && !stop; i += 1) {
        const res = await api('/api/orders', {
          method: 'POST',
          headers: { 'Idempotency-Key': randomUUID() },
          json: { userId: user.id, items: [{ productId: product.id, quantity: 1 }] },
        });
        if (res.status === 201) placed.push(res.body.id);
        else {
          refused.push({ status: res.status, code: res.body.error.code });
          await sleep(100);
        }
      }
    })();

    await waitUntil('some orders to be placed', async () => placed.length >= 5, 30_000, 100);
    await docker('kill', '--signal', 'KILL', await containerId('orders-db'));
    await waitUntil('orders to report not ready', async () => (await status()).services.orders.ready === false, 30_000);
    await sleep(1000);
    await compose('start', 'orders-db');
    await waitHealthy('orders-db');
    await waitUntil('orders to be ready again', async () => (await status()).services.orders.ready === true, 60_000);
    await waitUntil('orders to be placed again', async () => {
      const before = placed.length;
      await sleep(1000);
      return placed.length > before;
    }, 30_000, 0);
    stop = true;
    await placing;

    // While the database is gone, an order is refused as unavailable (5xx JSON) or, since
    // each carries an Idempotency-Key, retried by the gateway until it goes through.
    expect(refused.every(({ status, code }) => status >= 500 && status < 600 && typeof code === 'string'), JSON.stringify(refused)).toBe(true);
    for (const id of placed) expect((await api(`/api/orders/${id}`)).status, id).toBe(200);
    const listed = await api(`/api/orders?userId=${user.id}&limit=1`);
    expect(listed.body.total).toBe(placed.length);
    // Orders that failed gave their stock back: what was taken is exactly what was ordered.
    const stockNow = async () => (await api(`/api/products/${product.id}`)).body.stock as number;
    await waitUntil('every failed order to release its stock', async () => (await stockNow()) === 100_000 - placed.length, 60_000).catch(
      async (error: Error) => {
        throw new Error(`${error.message}: stock ${await stockNow()}, expected ${100_000 - placed.length}`);
      },
    );
    expect(await inspect('orders', '{{.State.StartedAt}}')).toBe(ordersStartedAt);
  });
});

describe('Redis crashes', () => {
  it('keeps keys written a second before a SIGKILL, and the API keeps answering while Redis is down', async () => {
    const keys = Array.from({ length: 20 }, (_, i) => `fault:redis:${randomUUID()}:${i}`);
    for (const key of keys) await exec('redis', ['redis-cli', 'SET', key, 'kept']);
    const user = await createUser();
    const product = await createProduct(50, 700);
    await sleep(1500);

    await docker('kill', '--signal', 'KILL', await containerId('redis'));
    try {
      await waitUntil('the gateway to see Redis down', async () => (await status()).redis === 'down', 30_000);
      expect((await api(`/api/products/${product.id}`)).status).toBe(200);
      expect((await api(`/api/users/${user.id}`)).status).toBe(200);
      const order = await api('/api/orders', {
        method: 'POST',
        headers: { 'Idempotency-Key': randomUUID() },
        json: { userId: user.id, items: [{ productId: product.id, quantity: 1 }] },
      });
      expect(order.status).toBe(201);
      for (let i = 0; i < 5; i += 1) expect((await api('/api/products?limit=1')).status).toBe(200);
    } finally {
      await compose('start', 'redis');
    }
    await waitHealthy('redis');
    for (const key of keys) expect((await exec('redis', ['redis-cli', 'GET', key])).output.trim(), key).toBe('kept');
    await waitUntil('the gateway to see Redis again', async () => (await status()).redis === 'up', 30_000);
    for (const service of ['users', 'products', 'orders', 'api-gateway'] as const) await waitHealthy(service);
    const cached = await api(`/api/products/${product.id}`);
    const again = await api(`/api/products/${product.id}`);
    expect([cached.headers.get('x-cache'), again.headers.get('x-cache')]).toContain('hit');
  });
});

describe('a restart under traffic', () => {
  it('finishes in-flight requests and hides the gap behind retries: no failed GET', async () => {
    const user = await createUser();
    const answers: number[] = [];
    let stop = false;
    // Two clients, each a GET every 50 ms or so.
    const client = async () => {
      while (!stop) {
        const startedAt = Date.now();
        answers.push((await api(`/api/users/${user.id}`)).status);
        await sleep(Math.max(0, 50 - (Date.now() - startedAt)));
      }
    };
    const clients = [client(), client()];
    await sleep(1000);
    await compose('restart', 'users');
    await waitHealthy('users');
    await sleep(1000);
    stop = true;
    await Promise.all(clients);

    expect(answers.length).toBeGreaterThan(20);
    expect(answers.filter((code) => code !== 200)).toEqual([]);
    const lines = await logs('users');
    expect(lines).toContain('shutting down: finishing in-flight requests');
    expect(lines).toContain('"msg":"stopped"');
  });
});

describe('a crashed process', () => {
  it('is brought back healthy by the restart policy', async () => {
    const restarts = Number(await inspect('orders', '{{.RestartCount}}'));
    // SIGKILL the node process itself (PID 1 is the init that compose's `init: true` adds;
    // node names its main thread "MainThread", so match the command line).
    const kill = 'for p in /proc/[0-9]*; do case "$(tr "\\0" " " < $p/cmdline 2>/dev/null)" in "node "*) kill -9 "${p#/proc/}";; esac; done';
    await exec('orders', ['sh', '-c', kill]);
    await waitUntil('orders to be restarted', async () => Number(await inspect('orders', '{{.RestartCount}}')) > restarts, 30_000);
    await waitHealthy('orders');
    const user = await createUser();
    const product = await createProduct();
    const order = await api('/api/orders', { method: 'POST', json: { userId: user.id, items: [{ productId: product.id, quantity: 1 }] } });
    expect(order.status).toBe(201);
  });
});
