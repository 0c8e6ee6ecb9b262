import type { Credentials, Session } from './auth.js';

/** What the loads read and order: created before any load, straight to products where possible. */
export interface SeedData {
  /** The customer who places the orders. */
  customer: Credentials & { id: string };
  /** The product read again and again (a cache hit after the first read). */
  product: string;
  /** Products orders are spread over, so the figure is the path's cost, not a queue on one row lock. */
  orderable: string[];
  /** Three batches of products never read, one per run of the cache-miss load. */
  unread: string[][];
}

/** POSTs a JSON body that must create something (201), with the given headers (a token, say); its id. */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/** The products are the admin's to make; the customer signs up, as anyone may. */
export async function seed(base: { direct: string; nginx: string }, admin: Session): Promise<SeedData> {
  const product = (body: unknown) => postJson(`${base.direct}/products`, body, { authorization: admin.authorization });
  const credentials = { email: `bench-${Date.now()}@example.com`, password: 'bench-customer-password' };
  const customer = { ...credentials, id: await postJson(`${base.nginx}/api/users`, { ...credentials, name: 'Bench' }) };
  const hit = await product({ name: 'Bench mug', priceCents: 1500, stock: 1_000_000 });
  const orderable = await Promise.all(Array.from({ length: 20 }, (_, i) => product({ name: `Orderable ${i}`, priceCents: 500 + i, stock: 1_000_000 })));
  const unread: string[][] = [];
  for (let run = 0; run < 3; run += 1) {
    const batch: string[] = [];
    for (let chunk = 0; chunk < 20; chunk += 1) {
      batch.push(...(await Promise.all(Array.from({ length: 50 }, (_, i) => product({ name: `Unread ${run}-${chunk}-${i}`, priceCents: 100, stock: 1 })))));
    }
    unread.push(batch);
  }
  return { customer, product: hit, orderable, unread };
}
