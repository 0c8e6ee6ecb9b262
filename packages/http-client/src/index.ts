export { createServiceClient } from './service-client.js';
export { mayHaveReached, withCallPolicy, type SendAttempt, type ServiceClient, type ServiceRequest } from './call-policy.js';
export { serviceResponse, type ServiceResponse } from './service-response.js';
export { downstreamSettings, type CallPolicyOptions, type DownstreamSettings } from './settings.js';
