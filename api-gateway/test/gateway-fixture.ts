import request from 'supertest';
import { afterAll, afterEach, beforeAll, expect, vi } from 'vitest';
import type { Express } from 'express';
import { openApiDocument } from '@shopstack/api-contract';
import { createTokenVerifier, remoteKeys, type TokenVerifier } from '@shopstack/auth';
import * as orders from '@shopstack/orders';
import * as products from '@shopstack/products';
import { createMetrics, type Metrics } from '@shopstack/metrics';
import { closeRedis, connectRedis, createRedisClient, type RedisClient } from '@shopstack/redis';
import { captureLogger, cleanUp, createContract, fastClientSettings, startServices, type StartedRedis } from '@shopstack/testing';
import * as users from '@shopstack/users';
import { createApp } from '../src/index.js';
import { createMonitoring, type Monitoring } from '../src/monitoring.js';
import { createProxyClient } from '../src/proxy-client.js';

/** Monitoring as the gateway has it, reading the Prometheus at `url`. */
export const monitoringAt = (url: string, timeoutMs = 1000): Monitoring => createMonitoring({ PROMETHEUS_URL: url, DOWNSTREAM_TIMEOUT_MS: timeoutMs });

// Fast retries (3 attempts a call) and a breaker that may open once 3 attempts have failed,
// and tries again after half a second.
/** What a test may give its own gateway; the rest is the fixture's. */
type Service = 'users' | 'products' | 'orders';
type GatewayOptions = {
  redis?: RedisClient;
  rateLimit?: { max: number; windowMs: number };
  verifyToken?: TokenVerifier;
  metrics?: Metrics;
  monitoring?: Monitoring;
  /** Where to send a service's calls instead of the service itself (something in front of it, say). */
  urls?: Partial<Record<Service, string>>;
};

export const downstream = fastClientSettings({ RETRY_ATTEMPTS: 2, RETRY_DEADLINE_MS: 500, BREAKER_VOLUME_THRESHOLD: 3, BREAKER_RESET_TIMEOUT_MS: 500 });

/** The three services for real (see startServices) and a gateway in front, ready. */
async function startGatewayFixture() {
  const shop = await startServices({ users, products, orders }, downstream);
  const logs = { gateway: captureLogger('api-gateway'), ...shop.logs };
  const redisClients: RedisClient[] = [];

  // The client the gateway runs with (see server.ts).
  const client = (service: Service, metrics: Metrics, url = shop.url(service)) => createProxyClient(service, url, downstream, logs.gateway.logger, { metrics });

  /** A Redis client of the gateway's kind, closed with the fixture. */
  function redisFor(container: StartedRedis = shop.redis): RedisClient {
    const redis = createRedisClient(container.getConnectionUrl(), logs.gateway.logger);
    connectRedis(redis, logs.gateway.logger);
    redisClients.push(redis);
    return redis;
  }

  /** A verifier of the gateway's kind: the users service's JWKS, fetched over HTTP and cached. */
  const verifierFor = (jwksUrl = `${shop.url('users')}/auth/jwks.json`): TokenVerifier => createTokenVerifier(remoteKeys(jwksUrl));

  /**
   * A gateway with its own breakers, on the given Redis, measured in `metrics` (its own unless
   * given). No Prometheus unless given one: nothing listens on port 1, so the monitoring
   * route answers 503 at once.
   */
  function startGateway({
    redis = redisFor(),
    rateLimit = { max: 100_000, windowMs: 60_000 },
    verifyToken = verifierFor(),
    metrics = createMetrics('api-gateway'),
    monitoring = monitoringAt('http://127.0.0.1:1'),
    urls = {},
  }: GatewayOptions = {}): Express {
    return createApp({
      redis,
      logger: logs.gateway.logger,
      metrics,
      clients: { users: client('users', metrics, urls.users), products: client('products', metrics, urls.products), orders: client('orders', metrics, urls.orders) },
      rateLimit,
      trustProxyHops: 1,
      bodyLimit: '1mb',
      staleTtlSeconds: 3600,
      verifyToken,
      monitoring,
    });
  }

  const metrics = createMetrics('api-gateway');
  const gateway = startGateway({ metrics });
  await vi.waitFor(async () => {
    if ((await request(gateway).get('/ready')).status !== 200) throw new Error('gateway not ready');
  }, { timeout: 5000 });

  return {
    shop,
    logs,
    gateway,
    /** The shared gateway's metrics, as its /metrics would serve them. */
    metrics,
    redisFor,
    startGateway,
    verifierFor,
    close: () =>
      cleanUp({
        'redis clients': () => Promise.all(redisClients.map((redis) => closeRedis(redis))),
        services: () => shop.close(),
      }),
  };
}

export type GatewayFixture = Awaited<ReturnType<typeof startGatewayFixture>>;

/**
 * For a test file: starts the fixture before its tests and stops it after them, and checks
 * every answer its tests receive against the API document (see createContract).
 */
export function useGatewayFixture() {
  // Swagger UI's files are the reference's, not the API's: not in the document.
  const contract = createContract(openApiDocument(), { ignore: /^\/(health|ready)$|^\/api\/docs(\/|$)/ });
  let fixture: GatewayFixture | undefined;
  beforeAll(async () => {
    fixture = await startGatewayFixture();
  });
  afterAll(() => fixture?.close());
  afterEach(() => {
    expect(contract.takeViolations()).toEqual([]);
  });
  const started = (): GatewayFixture => {
    if (!fixture) throw new Error('the gateway fixture is not started yet');
    return fixture;
  };
  /** A product made through the gateway, as clients make them: by the admin. */
  async function newProduct(stock = 10): Promise<string> {
    const { auth } = await started().shop.admin();
    const res = await contract.request(started().gateway).post('/api/products').set(auth).send({ name: 'Lamp', priceCents: 4500, stock });
    expect(res.status).toBe(201);
    return res.body.id;
  }
  return {
    request: contract.request,
    contract,
    newProduct,
    get fixture(): GatewayFixture {
      return started();
    },
    /** The gateway every test shares. */
    get gateway(): Express {
      return started().gateway;
    },
  };
}
