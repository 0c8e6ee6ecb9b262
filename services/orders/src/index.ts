// The service as a library: what its server.ts runs, for tests that run it for real too.
export { createApp, type AppDeps } from './app.js';
export { createStockRecovery } from './placing/stock-recovery.js';
export { ordersKeys, productsToken } from './clients/service-identity.js';
export const migrations = new URL('../migrations', import.meta.url);
