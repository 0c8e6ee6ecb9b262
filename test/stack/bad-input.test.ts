import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { bodies, charsets, encodings, eventually, framing, headAndOptions, hosts, orders, prototypeKeys, requestIds, routes } from './bad-input-cases.js';
import { sweep, type Ids } from './bad-input-sweep.js';
import { admin, api, createProduct, customer, health, inspect } from './stack.js';
import { ALL_SERVICES, HEALTHY } from './stack-env.js';
import type { Account } from '../shop.js';

const WATCHED = ['nginx', 'api-gateway', 'users', 'products', 'orders'] as const;
const lives = () => Promise.all(WATCHED.map(async (service) => `${service} ${await inspect(service, '{{.RestartCount}} {{.State.StartedAt}}')}`));

describe('bad input through nginx', () => {
  let ids: Ids;
  let buyer: Account;
  let kept: { user: unknown; order: { id: string }; livesBefore: string[] };

  beforeAll(async () => {
    await eventually(admin);
    const [user, product, spare] = await Promise.all([eventually(customer), eventually(() => createProduct(10, 500)), eventually(() => createProduct(100))]);
    buyer = user;
    // One key for every attempt: an order placed by an attempt that timed out comes back, rather than a second one.
    const placing = { method: 'POST', headers: { 'Idempotency-Key': randomUUID(), ...user.auth }, json: { userId: user.id, items: [{ productId: product.id, quantity: 1 }] } };
    const order = await eventually(async () => {
      const res = await api('/api/orders', placing);
      if (res.status !== 201) throw new Error(`order not placed: ${res.status} ${res.text}`);
      return res.body as { id: string };
    });
    ids = { user: user.id, product: product.id, spare: spare.id, order: order.id };
    kept = { user: user.user, order, livesBefore: await lives() };
  }, 180_000);

  it('answers every malformed request with its exact status and code, in the one error shape', async () => {
    const cases = [bodies, orders, routes, encodings, charsets, prototypeKeys, headAndOptions].flatMap((family) => family(ids));
    const mismatches = await sweep(cases, buyer);
    console.log(`bad input: ${cases.length} requests through nginx, ${cases.length - mismatches.length} answered as expected`);
    expect(mismatches).toEqual([]);
  }, 300_000);

  it('refuses broken framing and odd Host headers at the edge, within bounded time', async () => {
    expect(await sweep([...framing, ...hosts], buyer)).toEqual([]);
  }, 120_000);

  it('replaces an unusable X-Request-ID with a fresh one and keeps a sane one', async () => {
    expect(await sweep(requestIds(), buyer)).toEqual([]);
  }, 60_000);

  it('leaves every container healthy and unrestarted, and the data intact', async () => {
    for (const service of ALL_SERVICES) expect(await health(service), service).toBe(HEALTHY(service));
    expect(await lives()).toEqual(kept.livesBefore);
    expect((await api(`/api/users/${ids.user}`, { headers: buyer.auth })).body).toEqual(kept.user);
    expect((await api(`/api/products/${ids.product}`)).body).toMatchObject({ id: ids.product, stock: 9, priceCents: 500 });
    expect((await api(`/api/orders/${kept.order.id}`, { headers: buyer.auth })).body).toEqual(kept.order);
  }, 60_000);
});

