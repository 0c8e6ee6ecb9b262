export { composeImage, repoRoot } from './compose-images.js';
export { startPostgres, createDatabase, type StartedPostgres } from './postgres.js';
export { startRedis, type StartedRedis } from './redis.js';
export { captureLogger, type CapturedLogs } from './capture-logger.js';
export { listen, type Listening } from './listen.js';
export { freshDataStores, type FreshDataStoreOptions } from './data-stores.js';
export { composeProject, docker, waitUntil, type ComposeProject, type ComposeProjectOptions } from './compose-project.js';
export { cleanUp } from './cleanup.js';
export { fastDownstream } from './downstream.js';
