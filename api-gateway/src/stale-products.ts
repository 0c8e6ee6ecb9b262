import type { RequestHandler } from 'express';
import { serviceResponse, type ServiceClient, type ServiceResponse } from '@shopstack/http-client';
import type { CacheCounts, JsonCache } from '@shopstack/redis';
import { idSchema } from '@shopstack/api-contract';
import { requestContext } from '@shopstack/service-kit';
import { currentTimings } from '@shopstack/timing';
import { downstreamRequest, sendDownstreamResponse } from './forward.js';

/** A product's last good answer: its JSON, as products sent it. */
interface StaleCopy {
  body: string;
  storedAt: number;
}

const staleKey = (id: string) => `gateway:stale:product:${id}`;

/** Where the last good copies are kept, and where serving one (stale) or having none (miss) is counted. */
interface StaleCopies {
  cache: JsonCache;
  counted: CacheCounts;
}

/**
 * GET /api/products/:id with a fallback: each fresh read is kept in Redis, and while
 * products is down (or its circuit is open) the last good copy is served, marked
 * `X-Cache: stale` with its `Age` in seconds. Only when there is no copy does the
 * client get the 503.
 */
export function productWithStaleFallback(products: ServiceClient, { cache, counted }: StaleCopies, ttlSeconds: number): RequestHandler {
  return async (req, res, next) => {
    const parsed = idSchema.safeParse(req.params['id']);
    // Anything but a well-formed id goes the ordinary way (and gets the service's 400).
    if (!parsed.success) return next();
    const id = parsed.data;
    const { log } = requestContext(req);
    const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
    const request = downstreamRequest(req, `/products/${id}${query}`);
    if (!request) return next();

    const fallback = async (): Promise<ServiceResponse | undefined> => {
      const copy = await cache.get<StaleCopy>(staleKey(id));
      if (typeof copy?.body !== 'string') {
        counted.miss.inc();
        return undefined;
      }
      counted.stale.inc();
      currentTimings()?.describe('cache', 'stale');
      log.warn({ productId: id }, 'products unavailable; serving the last good copy');
      const age = Math.max(0, Math.round((Date.now() - copy.storedAt) / 1000));
      return serviceResponse({
        status: 200,
        headers: { 'content-type': 'application/json; charset=utf-8', 'x-cache': 'stale', age: String(age) },
        body: Buffer.from(copy.body),
      });
    };

    const response = await products.request(request, { log, fallback });
    // The copy is refreshed whenever products read the product from its database (a cache
    // miss there): a cache hit means nothing changed since the last miss, so the busy path
    // of a popular product costs no extra Redis write. Not awaited: keeping a copy must not
    // slow the answer down, and never fails it.
    if (req.method === 'GET' && response.status === 200 && response.headers['x-cache'] === 'miss') {
      void cache.set(staleKey(id), { body: response.body.toString('utf8'), storedAt: Date.now() } satisfies StaleCopy, ttlSeconds);
      currentTimings()?.describe('cache', 'copy kept');
    }
    sendDownstreamResponse(res, response);
  };
}
