// The orders process, start to stop. See README, "Architecture".
import { fileURLToPath } from 'node:url';
import { createTokenVerifier, remoteKeys } from '@shopstack/auth';
import { connectDatabase, migrate } from '@shopstack/db';
import { createServiceClient } from '@shopstack/http-client';
import { createLogger } from '@shopstack/logger';
import { createMetrics } from '@shopstack/metrics';
import { closeRedis, connectRedis, createRedisClient } from '@shopstack/redis';
import { createBackgroundTasks, databaseUrl, listenWhileStarting, logProcessErrors, onStopSignal, readConfig, redisUrl, serveMetrics, waitForDatabase } from '@shopstack/service-kit';
import { createApp, createStockRecovery, migrations, ordersKeys } from './index.js';
import { configSchema } from './config.js';

const config = readConfig('orders', configSchema, process.env);
const logger = createLogger({ service: 'orders', level: config.LOG_LEVEL });
logProcessErrors(logger);
// Listening at once: alive, not ready, other requests held until serve(app).
const server = listenWhileStarting(config, logger);
// Prometheus reads them on METRICS_PORT, a port of their own.
const metrics = createMetrics('orders', { enabled: config.METRICS === 'on' });
const metricsServer = serveMetrics(config, metrics, logger);
// One client, so one circuit breaker, per service called.
const clients = {
  users: createServiceClient('users', config.USERS_URL, config, logger, { metrics }),
  products: createServiceClient('products', config.PRODUCTS_URL, config, logger, { metrics }),
};

const db = connectDatabase({ connectionString: databaseUrl(config) }, logger, metrics);
await waitForDatabase(db, logger);
await migrate(db, fileURLToPath(migrations), logger);
// Its own signing key, for the token products asks of it: the stored one, or made now.
const { kid } = await ordersKeys(db).ensure();
logger.info({ kid }, 'signing service tokens for products');
const redis = createRedisClient(redisUrl(config), logger);
connectRedis(redis, logger);
// Work that outlives its request (giving stock back), and the recovery pass: now, then steadily.
const background = createBackgroundTasks();
const recoverStock = createStockRecovery(
  { db, products: clients.products, logger, metrics },
  { abandonedAfterMs: config.RECOVERY_ABANDONED_AFTER_MS, batchSize: 50 },
);
background.every(config.RECOVERY_INTERVAL_MS, recoverStock);
const verifyToken = createTokenVerifier(remoteKeys(config.JWKS_URL));
server.serve(createApp({ db, redis, logger, metrics, clients, idempotencyLockMs: config.IDEMPOTENCY_LOCK_MS, background, verifyToken }));

onStopSignal(config.SHUTDOWN_TIMEOUT_MS, logger, async (msLeft) => {
  await server.close();
  await metricsServer.close();
  // Background work may still need the pools: it gets what remains of the budget, less
  // 2 s to close them and exit. See README, "Time budgets".
  const unfinished = await background.settle(msLeft() - 2000);
  if (unfinished > 0) logger.error({ unfinished }, 'stopping with background work unfinished');
  await closeRedis(redis);
  await db.end();
});
