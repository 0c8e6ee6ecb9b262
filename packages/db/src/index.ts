export { createPool, checkDatabase, withTransaction, type Pool, type PoolClient, type PoolSettings } from './pool.js';
export { migrate } from './migrate.js';
export { isUniqueViolation } from './pg-errors.js';
export { isConnectionError } from './connection-errors.js';
export type { Page } from './page.js';
