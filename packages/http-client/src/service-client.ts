import axios from 'axios';
import type { Logger } from '@shopstack/logger';
import { withCallPolicy, type SendAttempt, type ServiceClient } from './call-policy.js';
import type { CallPolicyOptions, DownstreamSettings } from './settings.js';

/**
 * How the services call each other: through axios, the client the course teaches, under
 * the call policy (retries, circuit breaker, fallbacks). One client, and so one breaker,
 * per service called.
 */
export function createServiceClient(service: string, baseUrl: string, settings: DownstreamSettings, logger: Logger, options: CallPolicyOptions = {}): ServiceClient {
  const http = axios.create({
    baseURL: baseUrl,
    // Every status is an answer here; the policy decides what counts as a failure.
    validateStatus: () => true,
    transitional: { clarifyTimeoutError: true },
    maxRedirects: 0,
    // The bytes as sent: the caller parses them if it needs to, or passes them on.
    responseType: 'arraybuffer',
  });
  const send: SendAttempt = async ({ method, path, headers, body, timeoutMs }) => {
    const response = await http.request<ArrayBuffer>({ method, url: path, headers, data: body, timeout: timeoutMs });
    return { status: response.status, headers: response.headers, body: Buffer.from(response.data) };
  };
  return withCallPolicy(service, send, settings, logger, options);
}
