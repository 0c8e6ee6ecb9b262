import { describe, expect, it } from 'vitest';
import { MAX_ROUTES, metricsRule, routeFailures, routeLabels } from './metrics-check.js';

// What products' /metrics says, as prom-client writes it: with its route templates, and
// with the raw paths of exercise 10 of docs/cours.md (the label set from req.originalUrl).
const HEAD = `# HELP http_requests_total HTTP requests answered, by route template, method and status
# TYPE http_requests_total counter
`;
const counted = (route: string, method: string, status: number, value: number) =>
  `http_requests_total{route="${route}",method="${method}",status="${status}",service="products"} ${value}\n`;

const TEMPLATES = `${HEAD}${counted('/ready', 'GET', 200, 120)}${counted('/products/:id', 'GET', 200, 14)}${counted('/products/:id', 'GET', 404, 2)}${counted('/products/*', 'POST', 401, 1)}${counted('unmatched', 'GET', 404, 2)}
# HELP http_request_duration_seconds Time to answer an HTTP request, in seconds
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.005",service="products",route="/products/:id",method="GET",status="200"} 9
http_requests_in_flight{service="products"} 1
`;

const RAW_PATHS = [
  HEAD,
  counted('/ready', 'GET', 200, 120),
  counted('/products/019af3c2-7d41-7c8e-9b1a-5d6e2f3a4b5c', 'GET', 200, 1),
  counted('/products/019af3c2-7e02-7a11-8c3d-0e9f8a7b6c5d', 'GET', 404, 1),
  counted('/products?limit=20&offset=40', 'GET', 200, 1),
  counted('unmatched', 'GET', 404, 2),
].join('');

describe('the metrics check', () => {
  it('reads the distinct route values of http_requests_total, and of no other family', () => {
    expect(routeLabels(TEMPLATES)).toEqual(['/products/*', '/products/:id', '/ready', 'unmatched']);
  });

  it('reads label values with escaped quotes and backslashes as Prometheus writes them', () => {
    expect(routeLabels('http_requests_total{route="/a\\"b\\\\c",method="GET",service="x"} 1\n')).toEqual(['/a"b\\c']);
  });

  it('finds nothing wrong with route templates', () => {
    expect(routeFailures('shopstack-products-1', routeLabels(TEMPLATES))).toEqual([]);
    expect(metricsRule([{ container: 'shopstack-products-1', text: TEMPLATES }]).failures).toEqual([]);
  });

  it('names raw paths: a UUID, a query string', () => {
    expect(routeFailures('shopstack-products-1', routeLabels(RAW_PATHS))).toEqual([
      'shopstack-products-1: raw paths in the route label: /products/019af3c2-7d41-7c8e-9b1a-5d6e2f3a4b5c, /products/019af3c2-7e02-7a11-8c3d-0e9f8a7b6c5d, /products?limit=20&offset=40',
    ]);
  });

  it('names a long number, and says how many more there are', () => {
    const routes = ['/orders/1234567', '/orders/1234568', '/orders/1234569', '/orders/1234570', '/orders/:id'];
    expect(routeFailures('c', routes)).toEqual(['c: raw paths in the route label: /orders/1234567, /orders/1234568, /orders/1234569 (and 1 more)']);
  });

  it('counts too many values even when none looks like an id', () => {
    const routes = Array.from({ length: MAX_ROUTES + 1 }, (_, i) => `/products/mug-${i}`);
    expect(routeFailures('c', routes)).toEqual([`c: ${MAX_ROUTES + 1} route label values (at most ${MAX_ROUTES})`]);
    expect(routeFailures('c', routes.slice(1))).toEqual([]);
  });

  it('fails a container whose /metrics did not answer, and fixes with the route template', () => {
    const rule = metricsRule([
      { container: 'shopstack-orders-1', error: 'TypeError: fetch failed' },
      { container: 'shopstack-products-1', text: RAW_PATHS },
    ]);
    expect(rule.failures).toHaveLength(2);
    expect(rule.failures[0]).toBe('shopstack-orders-1: no /metrics (TypeError: fetch failed); see docker logs shopstack-orders-1');
    expect(rule.fix).toContain('never req.path or req.originalUrl');
  });
});
