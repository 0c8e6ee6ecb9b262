import { describe, expect, it } from 'vitest';
import { increaseOf, overviewOf, QUERIES, toSeries } from './monitoring.js';

const range = { start: 1000, end: 1900, stepSeconds: 15 };
const none = Object.fromEntries(Object.keys(QUERIES).map((name) => [name, []])) as unknown as Parameters<typeof overviewOf>[0];

describe('the monitoring overview', () => {
  it('reads Prometheus’s values as numbers and leaves out the steps without one', () => {
    expect(
      toSeries([
        [1000, '1.5'],
        [1015, 'NaN'],
        [1030, '+Inf'],
        [1045, '0'],
      ]),
    ).toEqual([
      [1000, 1.5],
      [1045, 0],
    ]);
  });

  it('counts a counter’s rises, a restart’s new value, and all of a counter made within the range', () => {
    expect(increaseOf([[1000, 4], [1015, 4], [1030, 6]], 1000)).toBe(2);
    // Restarted (6 → 1): the 1 since the restart counts.
    expect(increaseOf([[1000, 4], [1015, 6], [1030, 1], [1045, 2]], 1000)).toBe(4);
    // Made at 1030 with 1: that first transition happened within the range.
    expect(increaseOf([[1030, 1], [1045, 3]], 1000)).toBe(3);
    expect(increaseOf([], 1000)).toBe(0);
  });

  it('gives every service its row, even with nothing measured, and the breakers sorted, transitions added up over replicas', () => {
    const overview = overviewOf(
      {
        ...none,
        targetsUp: [{ metric: { job: 'products' }, values: [[1885, '1'], [1900, '0']] }],
        breakerState: [
          { metric: { service: 'orders', target: 'users' }, values: [[1900, '0']] },
          { metric: { service: 'api-gateway', target: 'products' }, values: [[1900, '2']] },
        ],
        breakerTransitions: [
          { metric: { service: 'api-gateway', target: 'products', to: 'open', instance: 'a' }, values: [[1000, '1'], [1900, '2']] },
          { metric: { service: 'api-gateway', target: 'products', to: 'open', instance: 'b' }, values: [[1600, '1']] },
          { metric: { service: 'api-gateway', target: 'products', to: 'closed', instance: 'a' }, values: [[1000, '3']] },
        ],
        pendingReservations: [{ metric: {}, values: [[1900, '2']] }],
        timeBudgetSeconds: [
          { metric: { service: 'users', __name__: 'shopstack:time_budget_seconds' }, values: [[1885, '2'], [1900, '3']] },
          { metric: { service: 'orders' }, values: [[1900, '10']] },
        ],
      },
      range,
    );
    expect(Object.keys(overview.services)).toEqual(['api-gateway', 'users', 'products', 'orders']);
    expect(overview.services.products.targetsUp).toEqual([[1885, 1], [1900, 0]]);
    expect(overview.services.users).toEqual({ targetsUp: [], requestsPerSecond: [], errorRatio: [], p95Seconds: [], timeBudgetSeconds: 3 });
    // The latest value of the rule; none evaluated yet for a service: no budget line.
    expect(overview.services.orders.timeBudgetSeconds).toBe(10);
    expect(overview.services.products).not.toHaveProperty('timeBudgetSeconds');
    expect(overview.breakers).toEqual([
      { caller: 'api-gateway', target: 'products', state: [[1900, 2]], transitions: { open: 2, half_open: 0, closed: 0 } },
      { caller: 'orders', target: 'users', state: [[1900, 0]], transitions: { open: 0, half_open: 0, closed: 0 } },
    ]);
    expect(overview.reservations).toEqual({ pending: [[1900, 2]], oldestAgeSeconds: [] });
  });

  it('sends fixed queries, each bounded to the services it is about', () => {
    expect(QUERIES.requestsPerSecond).toBe('sum by (service) (rate(http_requests_total{service=~"api-gateway|users|products|orders"}[1m]))');
    expect(QUERIES.targetsUp).toBe('sum by (job) (up{job=~"api-gateway|users|products|orders"})');
  });
});
