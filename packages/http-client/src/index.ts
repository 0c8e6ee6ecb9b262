export { backoffDelay, retry, type RetryOptions, type RetryPolicy } from './retry.js';
export { createBreaker, breakerStatus, type BreakerSettings, type BreakerStatus } from './breaker.js';
export {
  createServiceClient,
  type CallOptions,
  type ServiceClient,
  type ServiceClientOptions,
  type ServiceRequest,
  type ServiceResponse,
} from './service-client.js';
