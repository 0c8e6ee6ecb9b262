export { createMetrics, type Family, type Metrics } from './metrics.js';
export { httpMetrics, labelRoute, routeLabel, UNMATCHED } from './http-metrics.js';
