export { createPool, checkDatabase, withTransaction, type Pool, type PoolClient, type PoolSettings } from './pool.js';
export { migrate } from './migrate.js';
export { isUniqueViolation } from './pg-errors.js';
