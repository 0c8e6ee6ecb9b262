import type { Session } from './auth.js';
import type { Scenario } from './measure.js';
import type { SeedData } from './seed.js';

export const NODE_SERVICES = ['api-gateway', 'users', 'products', 'orders'] as const;
export const ALL = ['nginx', ...NODE_SERVICES, 'users-db', 'products-db', 'orders-db', 'redis'] as const;

export interface Bases {
  direct: string;
  gateway: string;
  nginx: string;
}

/** Every load the bench measures, on the seeded data, through the given loopback addresses. */
export function scenariosFor(base: Bases, data: SeedData, buyer: Session) {
  const productPath = `/products/${data.product}`;
  const hit = (url: string) => () => ({ url, duration: 10, connections: 10 });
  // Read when each run starts: the session renews its token while the bench goes on.
  const withToken = (url: string) => () => ({ ...hit(url)(), headers: { authorization: buyer.authorization } });
  let order = 0;
  const placeOrders = () => ({
    url: `${base.nginx}/api/orders`,
    method: 'POST' as const,
    duration: 10,
    connections: 10,
    headers: { 'content-type': 'application/json', authorization: buyer.authorization },
    nextBody: () => JSON.stringify({ userId: data.customer.id, items: [{ productId: data.orderable[order++ % data.orderable.length]!, quantity: 1 }] }),
  });
  return {
    direct: { name: 'GET product, straight to products (cache hit)', path: ['products', 'redis'], options: hit(`${base.direct}${productPath}`) },
    gateway: { name: 'GET product, through the gateway', path: ['api-gateway', 'products', 'redis'], options: hit(`${base.gateway}/api${productPath}`) },
    full: { name: 'GET product, through nginx + gateway', path: ['nginx', 'api-gateway', 'products', 'redis'], options: hit(`${base.nginx}/api${productPath}`) },
    // The same request with a customer's bearer token, which the gateway and products each
    // verify against users' cached keys. users is watched to show it is not called.
    fullWithToken: {
      name: 'GET product, through nginx + gateway, with a bearer token',
      path: ['nginx', 'api-gateway', 'products', 'redis', 'users'],
      options: withToken(`${base.nginx}/api${productPath}`),
    },
    miss: {
      name: 'GET product, straight to products (cache miss: database)',
      path: ['products', 'products-db', 'redis'],
      // Each run reads its own batch of products, each once: every read is a miss.
      options: (run: number) => {
        let next = 0;
        const batch = data.unread[run]!;
        return { url: base.direct, amount: batch.length, connections: 10, nextPath: () => `/products/${batch[next++ % batch.length]}` };
      },
    },
    orders: { name: 'POST /api/orders, through nginx + gateway (bearer token)', path: ALL, options: placeOrders },
  } satisfies Record<string, Scenario>;
}
