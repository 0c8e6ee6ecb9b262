export { withTimeout } from './timeout.js';
export { backoffDelay, nextRetryDelay, retry, type RetryOptions, type RetryPolicy } from './retry.js';
