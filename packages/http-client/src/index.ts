export { createBreaker, breakerStatus, type BreakerSettings, type BreakerStatus } from './breaker.js';
export {
  createServiceClient,
  isCircuitOpen,
  type CallOptions,
  type ServiceClient,
  type ServiceClientOptions,
  type ServiceRequest,
  type ServiceResponse,
} from './service-client.js';
export { createDownstreamClient, downstreamConfigSchema, type DownstreamConfig } from './downstream.js';
