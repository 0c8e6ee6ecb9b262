import type { RequestListener } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { openApiDocument } from '@shopstack/api-contract';
import { generateSigningKey, signAccessToken } from '@shopstack/auth';
import * as products from '@shopstack/products';
import { createContract, type Account, type RunningServices, startServices } from '@shopstack/testing';
import * as users from '@shopstack/users';
import * as orders from '../src/index.js';

// Every answer these tests receive must match the API document (see createContract).
const contract = createContract(openApiDocument(), { prefix: '/api' });
const request = contract.request;
afterEach(() => {
  expect(contract.takeViolations()).toEqual([]);
});

type Who = 'anonymous' | 'customer' | 'another customer' | 'admin';

let shop: RunningServices;
let app: RequestListener;
let accounts: Record<Exclude<Who, 'anonymous'>, Account>;
/** An order of `customer`'s, which the table's routes read. */
let ownOrderId: string;
let productId: string;

beforeAll(async () => {
  shop = await startServices({ users, products, orders });
  app = shop.createOrders();
  const [customer, another, admin] = await Promise.all([shop.customer(), shop.customer(), shop.admin()]);
  accounts = { customer, 'another customer': another, admin };
  productId = await shop.newProduct(1000);
  const placed = await request(app).post('/orders').set(customer.auth).send({ items: [{ productId, quantity: 1 }] });
  ownOrderId = placed.body.id;
});

afterAll(() => shop?.close());

const headersOf = (who: Who) => (who === 'anonymous' ? {} : accounts[who].auth);
const items = () => [{ productId, quantity: 1 }];

// Who may do what, route by route: the status, and the error code when refused. `customer`
// owns the order and is the user named; `another customer` is anyone else signed in.
const CASES: Array<{ route: string; send: (who: Who) => ReturnType<ReturnType<typeof request>['get']>; answers: Record<Who, [number, string?]> }> = [
  {
    route: 'POST /orders for oneself',
    send: (who) => request(app).post('/orders').set(headersOf(who)).send({ items: items() }),
    answers: { anonymous: [401, 'unauthorized'], customer: [201], 'another customer': [201], admin: [201] },
  },
  {
    route: "POST /orders naming the customer's id",
    send: (who) => request(app).post('/orders').set(headersOf(who)).send({ userId: accounts.customer.id, items: items() }),
    answers: { anonymous: [401, 'unauthorized'], customer: [201], 'another customer': [403, 'forbidden'], admin: [403, 'forbidden'] },
  },
  {
    route: 'GET /orders',
    send: (who) => request(app).get('/orders').set(headersOf(who)),
    answers: { anonymous: [401, 'unauthorized'], customer: [200], 'another customer': [200], admin: [200] },
  },
  {
    route: "GET /orders?userId=<the customer's>",
    send: (who) => request(app).get(`/orders?userId=${accounts.customer.id}`).set(headersOf(who)),
    answers: { anonymous: [401, 'unauthorized'], customer: [200], 'another customer': [403, 'forbidden'], admin: [200] },
  },
  {
    route: "GET /orders/:id of the customer's order",
    send: (who) => request(app).get(`/orders/${ownOrderId}`).set(headersOf(who)),
    answers: { anonymous: [401, 'unauthorized'], customer: [200], 'another customer': [404, 'not_found'], admin: [200] },
  },
];

describe('who may place and read orders', () => {
  const rows = CASES.flatMap(({ route, send, answers }) =>
    (Object.entries(answers) as Array<[Who, [number, string?]]>).map(([who, [status, code]]) => ({ route, send, who, status, code })),
  );
  it.each(rows)('$route as $who: $status $code', async ({ send, who, status, code }) => {
    const res = await send(who);
    expect(res.status).toBe(status);
    if (code) expect(res.body.error.code).toBe(code);
  });

  it('places an order for the caller, whatever else is sent', async () => {
    const { customer } = accounts;
    const res = await request(app).post('/orders').set(customer.auth).send({ items: items() });
    expect(res.body.userId).toBe(customer.id);
    const other = await request(app).get(`/orders/${res.body.id}`).set(accounts['another customer'].auth);
    expect(other.body.error.code).toBe('not_found');
  });

  it("lists only the caller's own orders when no user is named, an admin's included", async () => {
    const { customer, admin } = accounts;
    const own = await request(app).get('/orders?limit=100').set(customer.auth);
    expect(own.body.items.length).toBeGreaterThan(0);
    expect(own.body.items.every((order: { userId: string }) => order.userId === customer.id)).toBe(true);
    const admins = await request(app).get('/orders?limit=100').set(admin.auth);
    expect(admins.body.items.every((order: { userId: string }) => order.userId === admin.id)).toBe(true);
  });
});

describe('Idempotency-Key, per caller', () => {
  it('gives two customers who send the same key an order each', async () => {
    const [ann, ben] = await Promise.all([shop.customer(), shop.customer()]);
    const product = await shop.newProduct(10);
    const key = `order-${uuidv7()}`;
    const place = (buyer: Account) => request(app).post('/orders').set(buyer.auth).set('Idempotency-Key', key).send({ items: [{ productId: product, quantity: 2 }] });
    const [first, second] = [await place(ann), await place(ben)];
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(first.body.userId).toBe(ann.id);
    expect(second.body.userId).toBe(ben.id);
    expect(second.body.id).not.toBe(first.body.id);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect(await shop.stockOf(product)).toBe(6);
    // Each one's retry still answers their own order.
    const retried = await place(ann);
    expect(retried.body.id).toBe(first.body.id);
    expect(retried.headers['idempotent-replayed']).toBe('true');
  });

  it('is not held up by another customer’s request in progress with the same key', async () => {
    const buyers = await Promise.all(Array.from({ length: 4 }, () => shop.customer()));
    const product = await shop.newProduct(10);
    const key = uuidv7();
    const results = await Promise.all(
      buyers.map((buyer) => request(app).post('/orders').set(buyer.auth).set('Idempotency-Key', key).send({ items: [{ productId: product, quantity: 1 }] })),
    );
    expect(results.map((res) => res.status)).toEqual([201, 201, 201, 201]);
    expect(await shop.stockOf(product)).toBe(6);
  });

  it('replays a retry that names the caller’s own id as the one that left it out', async () => {
    const buyer = await shop.customer();
    const key = uuidv7();
    const first = await request(app).post('/orders').set(buyer.auth).set('Idempotency-Key', key).send({ items: items() });
    const again = await request(app).post('/orders').set(buyer.auth).set('Idempotency-Key', key).send({ userId: buyer.id, items: items() });
    expect(again.body.id).toBe(first.body.id);
  });
});

describe('what does not make a caller', () => {
  it('refuses a token signed by another key, even one that says admin', async () => {
    const { accessToken } = await signAccessToken(await generateSigningKey(), { userId: accounts.customer.id, role: 'admin' });
    const res = await request(app).get(`/orders?userId=${accounts.customer.id}`).set('Authorization', `Bearer ${accessToken}`);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid_token');
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('ignores an X-User-Id header: without a token it is a 401, with one it changes nothing', async () => {
    const anonymous = await request(app).get(`/orders/${ownOrderId}`).set('X-User-Id', accounts.customer.id);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="shopstack"');
    const other = await request(app).get(`/orders/${ownOrderId}`).set(accounts['another customer'].auth).set('X-User-Id', accounts.customer.id);
    expect(other.status).toBe(404);
  });
});
