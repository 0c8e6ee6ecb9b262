import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type IncrementResponse, type Options, type Store } from 'express-rate-limit';
import { AppError } from '@shopstack/errors';
import type { Logger } from '@shopstack/logger';
import { labelRoute, type Metrics } from '@shopstack/metrics';
import type { RedisClient } from '@shopstack/redis';
import { withTimeout } from '@shopstack/resilience';
import { timed } from '@shopstack/timing';

/**
 * A fixed-window counter per client in Redis, shared by every gateway replica. INCR and
 * the first PEXPIRE run in one MULTI, so concurrent requests cannot lose a count or leave
 * a counter without expiry. (rate-limit-redis caches a failed script load for good, which
 * would disable limiting forever after starting while Redis was down.)
 */
class RedisWindowStore implements Store {
  readonly prefix = 'gateway:ratelimit:';
  readonly localKeys = false;
  private windowMs = 60_000;

  constructor(private readonly redis: RedisClient) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async increment(key: string): Promise<IncrementResponse> {
    const redisKey = this.prefix + key;
    const [hits, , ttl] = await timed('ratelimit', () =>
      withTimeout(this.redis.multi().incr(redisKey).pExpire(redisKey, this.windowMs, 'NX').pTTL(redisKey).exec(), 300, 'Redis'),
    );
    const remainingMs = Number(ttl) > 0 ? Number(ttl) : this.windowMs;
    return { totalHits: Number(hits), resetTime: new Date(Date.now() + remainingMs) };
  }

  async decrement(key: string): Promise<void> {
    await this.redis.decr(this.prefix + key);
  }

  async resetKey(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }
}

export interface RateLimitSettings {
  max: number;
  windowMs: number;
}

/** Per client IP (req.ip, from the trusted proxy's X-Forwarded-For entry). */
export function rateLimiter(redis: RedisClient, { max, windowMs }: RateLimitSettings, logger: Logger, metrics: Metrics): RequestHandler {
  const refused = metrics.counter({ name: 'rate_limited_requests_total', help: 'Requests refused with a 429 by a rate limiter', labelNames: ['limiter'] }).labels('api');
  return rateLimit({
    windowMs,
    limit: max,
    standardHeaders: 'draft-6',
    legacyHeaders: true,
    store: new RedisWindowStore(redis),
    // With Redis down, let traffic through: rate limiting degrades, the API stays up.
    passOnStoreError: true,
    // The library's start-up checks of its own configuration: this one is tested, and they
    // cost work on every request.
    validate: false,
    // IPv6 clients are counted by /56 prefix (one user may hold many addresses); IPv4 ones
    // as they are, without parsing the address again on every request.
    keyGenerator: (req) => (req.ip?.includes(':') ? ipKeyGenerator(req.ip) : (req.ip ?? 'unknown')),
    // The Redis client already logs the outage once; one line per request would bury it.
    logger: {
      error: (error, message) => logger.debug({ err: error }, message),
      warn: (error, message) => logger.warn({ err: error }, message),
    },
    handler: (req, _res, next) => {
      refused.inc();
      // Refused before any route was chosen: labelled with what the limit covers.
      labelRoute(req, '/api/*');
      next(new AppError(429, 'rate_limited', 'Too many requests; slow down'));
    },
  });
}
