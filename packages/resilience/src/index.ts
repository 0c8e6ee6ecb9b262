export { withTimeout } from './timeout.js';
export { backoffDelay, retry, type RetryOptions, type RetryPolicy } from './retry.js';
