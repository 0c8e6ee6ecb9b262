// The products process, start to stop. See README, "Architecture".
import { fileURLToPath } from 'node:url';
import { createServiceTokenVerifier, createTokenVerifier, remoteKeys } from '@shopstack/auth';
import { connectDatabase, migrate } from '@shopstack/db';
import { createLogger } from '@shopstack/logger';
import { createMetrics } from '@shopstack/metrics';
import { closeRedis, connectRedis, createRedisClient } from '@shopstack/redis';
import { databaseUrl, listenWhileStarting, logProcessErrors, onStopSignal, readConfig, redisUrl, serveMetrics, waitForDatabase } from '@shopstack/service-kit';
import { createApp, migrations } from './index.js';
import { configSchema } from './config.js';

const config = readConfig('products', configSchema, process.env);
const logger = createLogger({ service: 'products', level: config.LOG_LEVEL });
logProcessErrors(logger);
// Listening at once: alive, not ready, other requests held until serve(app).
const server = listenWhileStarting(config, logger);
// Prometheus reads them on METRICS_PORT, a port of their own.
const metrics = createMetrics('products', { enabled: config.METRICS === 'on' });
const metricsServer = serveMetrics(config, metrics, logger);
// Bearer tokens are checked against the users service's public keys, fetched when first needed.
const verifyToken = createTokenVerifier(remoteKeys(config.JWKS_URL));
// Orders' service token, against orders' public keys, cached the same way but fetched now,
// and until had: orders, stopping, closes its port before its last reservations reach here,
// and then could not be asked for them.
const verifyOrdersToken = createServiceTokenVerifier(remoteKeys(config.ORDERS_JWKS_URL, { prefetch: true }), { from: 'orders', to: 'products' });

const db = connectDatabase({ connectionString: databaseUrl(config) }, logger, metrics);
await waitForDatabase(db, logger);
await migrate(db, fileURLToPath(migrations), logger);
const redis = createRedisClient(redisUrl(config), logger);
connectRedis(redis, logger);
server.serve(createApp({ db, redis, logger, metrics, cacheTtlSeconds: config.CACHE_TTL_SECONDS, verifyToken, verifyOrdersToken }));

onStopSignal(config.SHUTDOWN_TIMEOUT_MS, logger, async () => {
  await server.close();
  await metricsServer.close();
  await closeRedis(redis);
  await db.end();
});
