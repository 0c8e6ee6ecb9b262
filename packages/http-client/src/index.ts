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
export { createDownstreamClient, downstreamConfigSchema, type DownstreamConfig, type DownstreamOptions } from './downstream.js';
export { serviceResponse } from './service-response.js';
export { axiosTransport } from './axios-transport.js';
export { undiciTransport } from './undici-transport.js';
export { NoAnswer, type Transport, type TransportRequest, type TransportResponse } from './transport.js';
