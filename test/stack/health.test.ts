import { describe, expect, it } from 'vitest';
import { api, compose, exec, health, inspect, waitHealthy, waitUntil } from './stack.js';
import { ALL_SERVICES } from './stack-env.js';

/** The service's own /ready, asked from inside its container: status and body. */
const readyOf = async (service: 'users' | 'products' | 'orders') =>
  (
    await exec(service, [
      'node',
      '-e',
      "fetch('http://127.0.0.1:3000/ready').then(async (r) => console.log(r.status, await r.text()))",
    ])
  ).output;

describe('health', () => {
  it('has all nine containers healthy', async () => {
    const states = Object.fromEntries(await Promise.all(ALL_SERVICES.map(async (s) => [s, await health(s)] as const)));
    expect(states).toEqual(Object.fromEntries(ALL_SERVICES.map((s) => [s, 'healthy'])));
  });

  it('marks products not ready and unhealthy while its database is stopped, and recovers without a restart', async () => {
    const startedAt = await inspect('products', '{{.State.StartedAt}}');
    await compose('stop', 'products-db');
    try {
      await waitUntil('products /ready to say 503', async () => (await readyOf('products')).startsWith('503'), 30_000);
      expect(await readyOf('products')).toContain('"postgres":"down"');
      const status = await api('/api/status');
      expect(status.body.services.products.ready).toBe(false);
      await waitUntil('products to be unhealthy', async () => (await health('products')) === 'unhealthy', 60_000);
      // The others are not affected.
      expect(await health('users')).toBe('healthy');
      expect(await health('orders')).toBe('healthy');
      expect((await api('/api/users?limit=1')).status).toBe(200);
      const read = await api('/api/products?limit=1');
      expect(read.status).toBe(503);
      expect(read.body.error.code).toMatch(/unavailable/);
    } finally {
      await compose('start', 'products-db');
    }
    await waitHealthy('products-db');
    await waitHealthy('products');
    expect(await readyOf('products')).toMatch(/^200 .*"status":"ready"/);
    expect((await api('/api/products?limit=1')).status).toBe(200);
    expect(await inspect('products', '{{.State.StartedAt}}')).toBe(startedAt);
    expect(await inspect('products', '{{.RestartCount}}')).toBe('0');
  });
});
