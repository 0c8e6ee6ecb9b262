export { RequestTimings, currentTimings, runWithTimings, timed } from './request-timings.js';
export { serverTiming } from './server-timing-middleware.js';
