import { describe, expect, it } from 'vitest';
import { api, asAdmin, compose, exec, health, inspect, waitHealthy, waitUntil } from './stack.js';
import { ALL_SERVICES, HEALTHY } from './stack-env.js';

/** The service's own /ready, asked from inside its container by its health-check script. */
const readyOf = async (service: 'users' | 'products' | 'orders') => (await exec(service, ['node', '/app/healthcheck.cjs', '/ready'])).output;

/** What the last health check printed, as `docker inspect` shows it. */
const lastHealthOutput = async (service: 'users' | 'products' | 'orders') =>
  (JSON.parse(await inspect(service, '{{json .State.Health.Log}}')) as Array<{ Output: string }>).at(-1)?.Output ?? '';

describe('health', () => {
  it('has every container healthy, monitoring’s included (nginx-exporter, with no healthcheck, running)', async () => {
    const states = Object.fromEntries(await Promise.all(ALL_SERVICES.map(async (s) => [s, `${await health(s)} ${await inspect(s, '{{.State.Status}}')}`] as const)));
    expect(states).toEqual(Object.fromEntries(ALL_SERVICES.map((s) => [s, `${HEALTHY(s)} running`])));
  });

  it('marks products not ready and unhealthy while its database is stopped, and recovers without a restart', async () => {
    const startedAt = await inspect('products', '{{.State.StartedAt}}');
    await compose('stop', 'products-db');
    try {
      await waitUntil('products /ready to say 503', async () => (await readyOf('products')).startsWith('503'), 30_000);
      expect(await readyOf('products')).toContain('"postgres":"down"');
      const status = await asAdmin('/api/status');
      expect(status.body.services.products.ready).toBe(false);
      await waitUntil('products to be unhealthy', async () => (await health('products')) === 'unhealthy', 60_000);
      // docker inspect says why: the check printed /ready's answer.
      expect(await lastHealthOutput('products')).toMatch(/^503 .*"postgres":"down"/);
      // The others are not affected.
      expect(await health('users')).toBe('healthy');
      expect(await health('orders')).toBe('healthy');
      expect((await asAdmin('/api/users?limit=1')).status).toBe(200);
      const read = await api('/api/products?limit=1');
      expect(read.status).toBe(503);
      expect(read.body.error.code).toMatch(/unavailable/);
    } finally {
      await compose('start', 'products-db');
    }
    await waitHealthy('products-db');
    await waitHealthy('products');
    expect(await readyOf('products')).toMatch(/^200 .*"status":"ready"/);
    expect(await lastHealthOutput('products')).toMatch(/^200 /);
    expect((await api('/api/products?limit=1')).status).toBe(200);
    expect(await inspect('products', '{{.State.StartedAt}}')).toBe(startedAt);
    expect(await inspect('products', '{{.RestartCount}}')).toBe('0');
  });
});
