import { randomUUID } from 'node:crypto';
import type { Account } from '../shop.js';
import { api, createProduct, customer, placeOrder } from './swarm.js';

export interface LoadReport {
  gets: number;
  /** Orders placed (one per Idempotency-Key). */
  orders: number;
  /** Requests that did not end as they should, with what they got. */
  failed: string[];
  /** Order POSTs the client sent again, with the same key, after a 502/503/504 or a 409 in progress. */
  resent: number;
  /** Whether every key made exactly one order and took its stock exactly once. */
  exactlyOnce: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Places an order as a careful client does: with an Idempotency-Key, and, when the answer
 * is lost or says "try again" (a 502 from nginx when the gateway died mid-request, a 503,
 * a 409 while the first attempt still holds the key), sends the same request again with
 * the same key, which makes at most one order. This is the contract of Idempotency-Key:
 * no layer in between can resend a POST whose gateway died holding it, since only the
 * client still has the body (nginx streams bodies through, see nginx's config).
 */
async function placeWithRetries(buyer: Account, productId: string, report: LoadReport): Promise<string | undefined> {
  const key = randomUUID();
  const deadline = Date.now() + 20_000;
  for (let attempt = 1; ; attempt += 1) {
    let outcome: string;
    try {
      const res = await placeOrder(buyer, productId, 1, { headers: { 'Idempotency-Key': key } });
      if (res.status === 201) return res.body.id as string;
      outcome = `${res.status} ${res.body?.error?.code ?? res.text.slice(0, 80)}`;
      const again = [502, 503, 504].includes(res.status) || res.body?.error?.code === 'idempotency_in_progress';
      if (!again) break;
    } catch (error) {
      outcome = (error as Error).message;
    }
    if (Date.now() > deadline) {
      report.failed.push(`POST /api/orders (${attempt} attempts): ${outcome}`);
      return undefined;
    }
    report.resent += 1;
    await sleep(500);
  }
  report.failed.push(`POST /api/orders: not retryable`);
  return undefined;
}

/**
 * Runs `action` while a client reads (a product, anonymously; its own user, with its token)
 * and places orders through nginx without pause, and for a few seconds after; reports every
 * request that failed. GETs are never resent by the client: a failed GET is a failure, a
 * 401 (a token a replacement task would not take) included.
 */
export async function underLoad<T>(action: () => Promise<T>): Promise<{ result: T; report: LoadReport }> {
  const stock = 1_000_000;
  const [user, product] = await Promise.all([customer(), createProduct(stock)]);
  const report: LoadReport = { gets: 0, orders: 0, failed: [], resent: 0, exactlyOnce: false };
  const orderIds = new Set<string>();
  let stop = false;
  const until = Date.now() + 240_000;
  const running = () => !stop && Date.now() < until;

  const reader = async (path: string, headers: Record<string, string> = {}) => {
    while (running()) {
      try {
        const res = await api(path, { headers });
        if (res.status !== 200) report.failed.push(`GET ${path}: ${res.status} ${res.body?.error?.code ?? ''}`);
      } catch (error) {
        report.failed.push(`GET ${path}: ${(error as Error).message}`);
      }
      report.gets += 1;
      await sleep(20);
    }
  };
  const buyer = async () => {
    while (running()) {
      const id = await placeWithRetries(user, product.id, report);
      if (id) {
        report.orders += 1;
        orderIds.add(id);
      }
      await sleep(50);
    }
  };

  const traffic = Promise.all([reader(`/api/products/${product.id}`), reader(`/api/users/${user.id}`, user.auth), buyer(), buyer()]);
  let result: T;
  try {
    await sleep(1000);
    result = await action();
    await sleep(3000);
  } finally {
    stop = true;
    await traffic;
  }
  const left = (await api(`/api/products/${product.id}`)).body.stock as number;
  report.exactlyOnce = orderIds.size === report.orders && left === stock - report.orders;
  console.log(`[swarm] load: ${report.gets} GETs, ${report.orders} orders, ${report.failed.length} failed, ${report.resent} order POSTs resent with their key`);
  return { result, report };
}
