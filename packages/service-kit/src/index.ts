export { createBackgroundTasks, type BackgroundTasks } from './background-tasks.js';
export { createServiceApp } from './create-service-app.js';
export { jsonBody } from './json-body.js';
export { listenWhileStarting, logProcessErrors, onStopSignal, waitForDatabase } from './lifecycle.js';
export { dataStoreChecks, type DataServiceDeps } from './readiness.js';
export { requestContext, type RequestContext } from './request-context.js';
export { serveMetrics, type MetricsServer } from './metrics-server.js';
export { mountRoutes, routesOf, type Routes } from './routes.js';
export { databaseSettings, databaseUrl, readConfig, redisSettings, redisUrl, serverSettings } from './settings.js';
