export { createMetrics, type Family, type Metrics } from './metrics.js';
export { httpMetrics, labelRoute, routeLabel } from './http-metrics.js';
