// `docker compose exec users node dist/rotate-signing-key.js`: a new key signs from now on.
// Nobody is logged out: the old key stays in the JWKS until the last token it signed has
// expired, and the gateway and services fetch the new one the first time they meet its kid.
import { parseConfig } from '@shopstack/config';
import { connectDatabase } from '@shopstack/db';
import { createLogger } from '@shopstack/logger';
import { databaseUrl } from '@shopstack/service-kit';
import { rotateSigningKey } from './app.js';
import { configSchema } from './config.js';

const config = parseConfig(configSchema, process.env);
const logger = createLogger({ service: 'users', level: config.LOG_LEVEL });
const db = connectDatabase({ connectionString: databaseUrl(config), max: 1 }, logger);
try {
  const { kid } = await rotateSigningKey(db);
  logger.info({ kid }, 'signing key rotated; the previous one stays published until its tokens expire');
} finally {
  await db.end();
}
