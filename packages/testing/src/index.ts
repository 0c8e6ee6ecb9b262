export { startPostgres, startRedis, startRedisWithAcl, createDatabase, freshDataStores, type DataStores, type FreshDataStoreOptions, type StartedPostgres, type StartedRedis } from './containers.js';
export { captureLogger, type CapturedLogs } from './capture-logger.js';
export { freePort, listen, type Listening } from './listen.js';
export { cleanUp } from './cleanup.js';
export { fastClientSettings } from './fast-client-settings.js';
export { TEST_ADMIN, type Account } from './accounts.js';
export { startServices, type RunningServices, type ShopModules } from './services.js';
export { createContract, type Contract, type ContractOptions } from './contract.js';
export { waitUntil } from './wait-until.js';
