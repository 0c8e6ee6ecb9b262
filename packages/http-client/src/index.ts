export { createServiceClient } from './service-client.js';
export { mayHaveReached, withCallPolicy, type CallPolicyOptions, type SendAttempt, type ServiceClient, type ServiceRequest } from './call-policy.js';
export { serviceResponse, type ServiceResponse } from './service-response.js';
export { downstreamSettings, type DownstreamSettings } from './settings.js';
