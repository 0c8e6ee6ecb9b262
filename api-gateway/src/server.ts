// The gateway process, start to stop: no database, so nothing to wait for. See README, "Architecture".
import { createTokenVerifier, remoteKeys } from '@shopstack/auth';
import { createLogger } from '@shopstack/logger';
import { createMetrics } from '@shopstack/metrics';
import { closeRedis, connectRedis, createRedisClient } from '@shopstack/redis';
import { listenWhileStarting, logProcessErrors, onStopSignal, readConfig, redisUrl, serveMetrics } from '@shopstack/service-kit';
import { createApp } from './app.js';
import { configSchema } from './config.js';
import { createMonitoring } from './monitoring.js';
import { createProxyClient } from './proxy-client.js';

const config = readConfig('api-gateway', configSchema, process.env);
const logger = createLogger({ service: 'api-gateway', level: config.LOG_LEVEL });
logProcessErrors(logger);
const server = listenWhileStarting(config, logger);
// Prometheus reads them on METRICS_PORT, a port of their own.
const metrics = createMetrics('api-gateway', { enabled: config.METRICS === 'on' });
const metricsServer = serveMetrics(config, metrics, logger);
const redis = createRedisClient(redisUrl(config), logger);
connectRedis(redis, logger);

// One client, so one circuit breaker, per service behind; placing an order gets longer.
const clients = {
  users: createProxyClient('users', config.USERS_URL, config, logger, { metrics }),
  products: createProxyClient('products', config.PRODUCTS_URL, config, logger, { metrics }),
  orders: createProxyClient('orders', config.ORDERS_URL, config, logger, { timeoutMs: config.ORDERS_TIMEOUT_MS, metrics }),
};
const app = createApp({
  redis,
  logger,
  metrics,
  clients,
  rateLimit: { max: config.RATE_LIMIT_MAX, windowMs: config.RATE_LIMIT_WINDOW_MS },
  trustProxyHops: config.TRUST_PROXY_HOPS,
  bodyLimit: config.BODY_LIMIT,
  staleTtlSeconds: config.STALE_TTL_SECONDS,
  verifyToken: createTokenVerifier(remoteKeys(config.JWKS_URL)),
  monitoring: createMonitoring(config),
});
server.serve(app);

onStopSignal(config.SHUTDOWN_TIMEOUT_MS, logger, async () => {
  await server.close();
  await metricsServer.close();
  await Promise.all(Object.values(clients).map((client) => client.close()));
  await closeRedis(redis);
});
