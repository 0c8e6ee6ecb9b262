import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { admin, api, asAdmin, compose, containerId, crash, createProduct, customer, docker, exec, inspect, logs, redisCli, waitHealthy, waitUntil } from './stack.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The gateway's full status, which only an admin is shown. */
const status = async () => (await asAdmin('/api/status')).body;

async function timed<T>(work: Promise<T>): Promise<T & { ms: number }> {
  const startedAt = Date.now();
  const result = await work;
  return { ...result, ms: Date.now() - startedAt };
}

// The README's bound on the first call that finds a service dead (its retry budget, with
// room for a slow machine), and on every call after it, answered by the open circuit.
const FIRST_CALL_MS = 12_000;
const FAST_MS = 1000;

/** Reservations orders still has to give back: its recovery pass sends them through the same breaker. */
const pendingReservations = async () =>
  Number((await exec('orders-db', ['psql', '-U', 'orders', '-d', 'orders', '-tAc', 'SELECT count(*) FROM pending_reservations'])).output.trim());

describe('a service dies', () => {
  it('fails fast once the first call found products dead: stale copies, quick 503s, at the gateway and in orders; then recovers by itself', async () => {
    // Stock an earlier file left to give back would be retried by orders' recovery pass
    // while products is down, and could take the half-open breaker's one trial call that
    // this test times: wait until there is none, whatever ran before.
    await waitUntil('orders to have no stock left to give back', async () => (await pendingReservations()) === 0, 90_000, 500);
    const gatewayStartedAt = await inspect('api-gateway', '{{.State.StartedAt}}');
    const known = await createProduct(5, 1234);
    const fresh = await api(`/api/products/${known.id}`);
    expect(fresh.status).toBe(200);
    const neverRead = await createProduct();
    const buyer = await customer();
    const order = () => api('/api/orders', { method: 'POST', headers: buyer.auth, json: { userId: buyer.id, items: [{ productId: known.id, quantity: 1 }] } });

    await compose('stop', 'products');
    try {
      // The gateway: the first read pays the retry budget, then gets the stale copy, and
      // its end opens the circuit.
      const first = await timed(api(`/api/products/${known.id}`));
      expect(first.ms).toBeLessThan(FIRST_CALL_MS);
      expect(first.status).toBe(200);
      expect(first.headers.get('x-cache')).toBe('stale');
      expect(first.body).toEqual(fresh.body);
      expect((await status()).services.products).toMatchObject({ ready: false, breaker: { state: 'open' } });
      const stale = await timed(api(`/api/products/${known.id}`));
      expect(stale.headers.get('x-cache')).toBe('stale');
      expect(Number(stale.headers.get('age'))).toBeGreaterThanOrEqual(0);
      expect(stale.ms).toBeLessThan(FAST_MS);
      const quick = await timed(api(`/api/products/${neverRead.id}`));
      expect(quick.ms).toBeLessThan(FAST_MS);
      expect(quick.status).toBe(503);
      expect(quick.body.error.code).toBe('service_unavailable');
      expect(Number(quick.headers.get('retry-after'))).toBeGreaterThan(0);

      // Orders, with a breaker of its own towards products: the same, one hop further.
      const firstOrder = await timed(order());
      expect(firstOrder.ms).toBeLessThan(FIRST_CALL_MS);
      expect(firstOrder.status).toBe(503);
      expect(firstOrder.body.error.code).toBe('service_unavailable');
      expect((await status()).services.orders.breakers).toMatchObject({ products: 'open', users: 'closed' });
      const nextOrder = await timed(order());
      expect(nextOrder.ms).toBeLessThan(FAST_MS);
      expect(nextOrder.status).toBe(503);
      expect(Number(nextOrder.headers.get('retry-after'))).toBeGreaterThan(0);
      // A 503 from orders is an answer: the gateway's circuit to orders stays closed.
      expect((await status()).services.orders.breaker.state).toBe('closed');
      // Each circuit goes half-open BREAKER_RESET_TIMEOUT_MS (5 s) after it opened; its one
      // trial call fails while products is still down, which opens it again at that very
      // moment: the next half-open comes 5 s later.
      const gatewayBreaker = async () => (await status()).services.products.breaker.state;
      const ordersBreaker = async () => (await status()).services.orders.breakers.products;
      for (const [name, state, trial] of [
        ['the gateway', gatewayBreaker, () => api(`/api/products/${neverRead.id}`)],
        ['orders', ordersBreaker, order],
      ] as const) {
        await waitUntil(`${name}’s breaker to go half-open`, async () => (await state()) === 'half-open', 15_000, 100);
        expect((await trial()).status).toBe(503);
        const reopenedAt = Date.now();
        expect(await state()).toBe('open');
        await waitUntil(`${name}’s breaker to go half-open again`, async () => (await state()) === 'half-open', 15_000, 100);
        expect(Date.now() - reopenedAt, name).toBeGreaterThanOrEqual(4500);
        expect(Date.now() - reopenedAt, name).toBeLessThan(8000);
      }
      console.log(
        `products stopped: first read ${first.ms} ms (stale), next ${stale.ms} ms; ` +
          `first order ${firstOrder.ms} ms (503), next ${nextOrder.ms} ms`,
      );
    } finally {
      await compose('start', 'products');
    }
    await waitHealthy('products');
    // Half-open, both circuits close on the first good call.
    const fresher = await api(`/api/products/${known.id}`);
    expect(fresher.status).toBe(200);
    expect(fresher.headers.get('x-cache')).not.toBe('stale');
    expect((await status()).services.products.breaker.state).toBe('closed');
    // Orders' own recovery pass may have made its half-open trial while products was still
    // starting, and so opened it for 5 s more: an order goes through within that.
    await waitUntil('an order to be placed again', async () => (await order()).status === 201, 20_000, 500);
    expect((await status()).services.orders.breakers.products).toBe('closed');
    // Fresh data flows again: a change made now is what the next read shows.
    const patched = await asAdmin(`/api/products/${known.id}`, { method: 'PATCH', json: { priceCents: 4321 } });
    expect(patched.status).toBe(200);
    expect((await api(`/api/products/${known.id}`)).body.priceCents).toBe(4321);
    expect(await inspect('api-gateway', '{{.State.StartedAt}}')).toBe(gatewayStartedAt);
  });
});

describe('a database crashes', () => {
  it('keeps every order that got a 201, as answered, when orders-db is SIGKILLed mid-traffic; a refused one resent with its key is placed once', async () => {
    const ordersStartedAt = await inspect('orders', '{{.State.StartedAt}}');
    const user = await customer();
    const product = await createProduct(100_000, 100);
    const body = { userId: user.id, items: [{ productId: product.id, quantity: 1 }] };
    const send = (key: string) => api('/api/orders', { method: 'POST', headers: { 'Idempotency-Key': key, ...user.auth }, json: body });
    const placed = new Map<string, Record<string, unknown>>();
    const refused: Array<{ key: string; status: number; code: string }> = [];
    let stop = false;
    const placing = (async () => {
      for (let i = 0; i < 2000 && !stop; i += 1) {
        const key = randomUUID();
        const res = await send(key);
        if (res.status === 201) placed.set(key, res.body);
        else {
          refused.push({ key, status: res.status, code: res.body.error.code });
          await sleep(100);
        }
      }
    })();

    await waitUntil('some orders to be placed', async () => placed.size >= 5, 30_000, 100);
    await docker('kill', '--signal', 'KILL', await containerId('orders-db'));
    await waitUntil('orders to report not ready', async () => (await status()).services.orders.ready === false, 30_000);
    await sleep(1000);
    await compose('start', 'orders-db');
    await waitHealthy('orders-db');
    await waitUntil('orders to be ready again', async () => (await status()).services.orders.ready === true, 60_000);
    await waitUntil('orders to be placed again', async () => {
      const before = placed.size;
      await sleep(1000);
      return placed.size > before;
    }, 30_000, 0);
    stop = true;
    await placing;

    // While the database is gone, an order is refused as unavailable (5xx JSON) or, since
    // each carries an Idempotency-Key, retried by the gateway until it goes through.
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every(({ status, code }) => status >= 500 && status < 600 && typeof code === 'string'), JSON.stringify(refused)).toBe(true);
    // Every acknowledged order is stored exactly as it was answered.
    for (const [key, answered] of placed) expect((await api(`/api/orders/${String(answered['id'])}`, { headers: user.auth })).body, key).toEqual(answered);
    // A refused request resent with its own key is placed now, or answered with the order
    // it had placed after all; never twice.
    for (const { key } of refused) expect((await send(key)).status, key).toBe(201);
    const perKey = await exec('orders-db', ['psql', '-U', 'orders', '-d', 'orders', '-tAc',
      `SELECT count(*) FILTER (WHERE n > 1) || ' ' || sum(n) FROM (SELECT count(*) AS n FROM orders WHERE user_id = '${user.id}' GROUP BY idempotency_key) keys`]);
    expect(perKey.output.trim()).toBe(`0 ${placed.size + refused.length}`);
    // Orders that failed gave their stock back: what was taken is exactly what was ordered.
    const stockNow = async () => (await api(`/api/products/${product.id}`)).body.stock as number;
    await waitUntil('every failed order to release its stock', async () => (await stockNow()) === 100_000 - placed.size - refused.length, 60_000).catch(
      async (error: Error) => {
        throw new Error(`${error.message}: stock ${await stockNow()}, expected ${100_000 - placed.size - refused.length}`);
      },
    );
    expect(await inspect('orders', '{{.State.StartedAt}}')).toBe(ordersStartedAt);
  });
});

describe('Redis crashes', () => {
  it('keeps keys written a second before a SIGKILL, and the API keeps answering while Redis is down', async () => {
    const keys = Array.from({ length: 20 }, (_, i) => `fault:redis:${randomUUID()}:${i}`);
    for (const key of keys) await redisCli('SET', key, 'kept');
    const user = await customer();
    const product = await createProduct(50, 700);
    // Logged in now: logins count attempts in Redis, and status() is the admin's.
    await admin();
    await sleep(1500);

    await docker('kill', '--signal', 'KILL', await containerId('redis'));
    try {
      await waitUntil('the gateway to see Redis down', async () => (await status()).redis === 'down', 30_000);
      // Caches miss, every time: the answers come from the databases.
      for (let i = 0; i < 2; i += 1) {
        const read = await api(`/api/products/${product.id}`);
        expect(read.status).toBe(200);
        expect(read.headers.get('x-cache')).toBe('miss');
        expect((await api(`/api/users/${user.id}`, { headers: user.auth })).headers.get('x-cache')).toBe('miss');
      }
      const order = await api('/api/orders', {
        method: 'POST',
        headers: { 'Idempotency-Key': randomUUID(), ...user.auth },
        json: { userId: user.id, items: [{ productId: product.id, quantity: 1 }] },
      });
      expect(order.status).toBe(201);
      for (let i = 0; i < 5; i += 1) expect((await api('/api/products?limit=1')).status).toBe(200);
      // The login limits count in Redis and are off while it is down (README, "Login limits"):
      // a login is not refused for a counter it cannot read, and a wrong password is still a 401.
      const logIn = (password: string) => api('/api/auth/login', { method: 'POST', json: { email: user.email, password } });
      expect((await logIn('not-the-password')).body).toMatchObject({ error: { code: 'invalid_credentials' } });
      expect((await logIn(user.password)).status).toBe(200);
    } finally {
      await compose('start', 'redis');
    }
    await waitHealthy('redis');
    for (const key of keys) expect((await redisCli('GET', key)).output.trim(), key).toBe('kept');
    await waitUntil('the gateway to see Redis again', async () => (await status()).redis === 'up', 30_000);
    for (const service of ['users', 'products', 'orders', 'api-gateway'] as const) await waitHealthy(service);
    const cached = await api(`/api/products/${product.id}`);
    const again = await api(`/api/products/${product.id}`);
    expect([cached.headers.get('x-cache'), again.headers.get('x-cache')]).toContain('hit');
  });
});

describe('a restart under traffic', () => {
  it('finishes in-flight requests and hides the gap behind retries: no failed GET', async () => {
    const user = await customer();
    const answers: number[] = [];
    let stop = false;
    // Two clients, each a GET every 50 ms or so.
    const client = async () => {
      while (!stop) {
        const startedAt = Date.now();
        answers.push((await api(`/api/users/${user.id}`, { headers: user.auth })).status);
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
    await crash('orders');
    await waitUntil('orders to be restarted', async () => Number(await inspect('orders', '{{.RestartCount}}')) > restarts, 30_000);
    await waitHealthy('orders');
    const user = await customer();
    const product = await createProduct();
    const order = await api('/api/orders', { method: 'POST', headers: user.auth, json: { userId: user.id, items: [{ productId: product.id, quantity: 1 }] } });
    expect(order.status).toBe(201);
  });
});
