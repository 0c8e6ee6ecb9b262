import { describe, expect, it } from 'vitest';
import { breakerState, formatRate, formatRatio, formatSeconds, latest, linePath, liveness, readOverview, scaleMax, type Series } from './metrics-series';

const range = { start: 1000, end: 1900, stepSeconds: 15 };

describe('readOverview', () => {
  it('reads an answer, keeping only well-formed points and giving every service a row', () => {
    const overview = readOverview({
      range,
      services: { users: { targetsUp: [[1885, 1], [1900, 'x'], 'junk'], requestsPerSecond: [[1900, 2.5]], timeBudgetSeconds: 3 } },
      breakers: [{ caller: 'api-gateway', target: 'products', state: [[1900, 2]], transitions: { open: 2 } }],
    });
    expect(overview?.services.users).toEqual({ targetsUp: [[1885, 1]], requestsPerSecond: [[1900, 2.5]], errorRatio: [], p95Seconds: [], timeBudgetSeconds: 3 });
    expect(overview?.services.products.targetsUp).toEqual([]);
    expect(overview?.breakers[0]).toEqual({ caller: 'api-gateway', target: 'products', state: [[1900, 2]], transitions: { open: 2, half_open: 0, closed: 0 } });
    expect(overview?.reservations).toEqual({ pending: [], oldestAgeSeconds: [] });
  });

  it.each([undefined, null, {}, { range: { start: 5, end: 5, stepSeconds: 15 } }, { range: { start: 0, end: 900, stepSeconds: 0 } }])('has nothing to draw without a usable range: %j', (body) => {
    expect(readOverview(body)).toBeUndefined();
  });
});

describe('the values at the end of the range', () => {
  it('takes the last point only when it is at most a step old', () => {
    expect(latest([[1870, 1], [1885, 4]], range)).toBe(4);
    expect(latest([[1870, 1]], range)).toBeUndefined();
    expect(latest([], range)).toBeUndefined();
  });

  it.each<[string, Series, string]>([
    ['an instance up now', [[1885, 0], [1900, 1]], 'up'],
    ['scraped and failing now', [[1885, 1], [1900, 0]], 'down'],
    ['gone since (a stopped container has no address to scrape)', [[1600, 1], [1615, 1]], 'down'],
    ['never seen', [], 'no-data'],
  ])('says a service is %s', (_, targetsUp, expected) => {
    expect(liveness(targetsUp, range)).toBe(expected);
  });

  it('names a breaker’s state from the gauge, unknown without a recent sample', () => {
    expect(breakerState([[1900, 0]], range)).toBe('closed');
    expect(breakerState([[1900, 1]], range)).toBe('half-open');
    expect(breakerState([[1885, 0], [1900, 2]], range)).toBe('open');
    expect(breakerState([[1500, 2]], range)).toBe('unknown');
  });
});

describe('drawing', () => {
  it('rounds the top of a scale up to 1, 2 or 5 times a power of ten, never below the floor', () => {
    expect(scaleMax([0.3, 0.7], 1)).toBe(1);
    expect(scaleMax([13], 1)).toBe(20);
    expect(scaleMax([20], 1)).toBe(20);
    expect(scaleMax([0.031], 0.01)).toBe(0.05);
    expect(scaleMax([], 5)).toBe(5);
    expect(scaleMax([420], 1)).toBe(500);
  });

  it('places points across the range and up the scale, and breaks the line at a missing step', () => {
    // 300 × 60; time 1000 → x 0, 1900 → x 300; value 0 → y 60, max → y 0.
    expect(linePath([[1000, 0], [1015, 5], [1900, 10]], range, 10, 300, 60)).toBe('M0.0 60.0 L5.0 30.0 M300.0 0.0');
    // Values above the scale or below 0 stay inside the box.
    expect(linePath([[1000, -1], [1015, 50]], range, 10, 300, 60)).toBe('M0.0 60.0 L5.0 0.0');
    expect(linePath([], range, 10, 300, 60)).toBe('');
  });
});

describe('formatting', () => {
  it('shows rates, ratios and durations briefly, to the digits that matter', () => {
    expect([0, 0.123, 12.34, 345.6].map((value) => formatRate(value))).toEqual(['0/s', '0.12/s', '12.3/s', '346/s']);
    expect([0, 0.0123, 0.25, 1].map((value) => formatRatio(value))).toEqual(['0 %', '1.23 %', '25 %', '100 %']);
    expect([0.0042, 0.0975, 1.5, 15].map((value) => formatSeconds(value))).toEqual(['4.2 ms', '98 ms', '1.5 s', '15 s']);
  });
});
