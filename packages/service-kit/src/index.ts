export { createBackgroundTasks, type BackgroundTasks } from './background-tasks.js';
export { createServiceApp, type ServiceAppOptions } from './create-service-app.js';
export { jsonBody } from './json-body.js';
export { dataStoreChecks, type ReadinessChecks } from './readiness.js';
export { requestIdFor } from './request-id.js';
export { runService, baseConfigSchema, type BaseConfig, type RunningService, type ServiceDefinition } from './run-service.js';
export { connectDataStores, type DataStores, type DataStoreSettings } from './data-stores.js';
export { databaseUrl, dataServiceConfigSchema, runDataService, type DataServiceDefinition, type DataServiceDeps } from './run-data-service.js';
export { requestContext, type RequestContext } from './request-context.js';
