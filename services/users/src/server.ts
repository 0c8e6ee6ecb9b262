// The users process, start to stop. See README, "Architecture".
import { fileURLToPath } from 'node:url';
import { connectDatabase, migrate } from '@shopstack/db';
import { createLogger } from '@shopstack/logger';
import { createMetrics } from '@shopstack/metrics';
import { closeRedis, connectRedis, createRedisClient } from '@shopstack/redis';
import { databaseUrl, listenWhileStarting, logProcessErrors, onStopSignal, readConfig, redisUrl, serveMetrics, waitForDatabase } from '@shopstack/service-kit';
import { createApp, migrations, prepareAccounts } from './index.js';
import { configSchema } from './config.js';

const config = readConfig('users', configSchema, process.env);
const logger = createLogger({ service: 'users', level: config.LOG_LEVEL });
logProcessErrors(logger);
// Listening at once: alive, not ready, other requests held until serve(app).
const server = listenWhileStarting(config, logger);
// Prometheus reads them on METRICS_PORT, a port of their own.
const metrics = createMetrics('users', { enabled: config.METRICS === 'on' });
const metricsServer = serveMetrics(config, metrics, logger);
const admin = config.ADMIN_EMAIL && config.ADMIN_PASSWORD ? { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD } : undefined;

const db = connectDatabase({ connectionString: databaseUrl(config) }, logger, metrics);
await waitForDatabase(db, logger);
await migrate(db, fileURLToPath(migrations), logger);
const redis = createRedisClient(redisUrl(config), logger);
connectRedis(redis, logger);
// The signing key (made on first start) and the admin account, if ADMIN_EMAIL is set.
await prepareAccounts({ db, redis, logger, cacheTtlSeconds: config.CACHE_TTL_SECONDS }, { signingKeyPem: config.SIGNING_KEY, admin });
const app = createApp({
  db,
  redis,
  logger,
  metrics,
  cacheTtlSeconds: config.CACHE_TTL_SECONDS,
  refreshTokenTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
  cookieSecure: config.COOKIE_SECURE,
  trustProxyHops: config.TRUST_PROXY_HOPS,
});
server.serve(app);

onStopSignal(config.SHUTDOWN_TIMEOUT_MS, logger, async () => {
  await server.close();
  await metricsServer.close();
  await closeRedis(redis);
  await db.end();
});
