export { connectDatabase, checkDatabase, type Database, type DatabaseSettings, type PoolClient } from './database.js';
export { migrate } from './migrate.js';
export { isUniqueViolation } from './pg-errors.js';
export { isConnectionError } from './connection-errors.js';
export type { Page } from './page.js';
