import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.js';

describe('createMetrics', () => {
  it("labels every sample with the service and includes Node's process metrics", async () => {
    const metrics = createMetrics('orders');
    metrics.counter({ name: 'things_total', help: 'Things' }).inc();
    const text = await metrics.registry.metrics();
    expect(text).toContain('things_total{service="orders"} 1');
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) {
      expect(text).toMatch(new RegExp(`^${name}\\{service="orders"\\} `, 'm'));
    }
  });

  it('makes a family once and hands the same one to every later user', () => {
    const metrics = createMetrics('users');
    const family = { name: 'calls_total', help: 'Calls', labelNames: ['target'] } as const;
    expect(metrics.counter(family)).toBe(metrics.counter(family));
    // Another registry, another family: apps built in one test process do not share counts.
    expect(createMetrics('users').counter(family)).not.toBe(metrics.counter(family));
  });

  it('gives durations the buckets every duration shares, from 5 ms to 10 s', async () => {
    const metrics = createMetrics('users');
    metrics.histogram({ name: 'work_duration_seconds', help: 'Work' }).observe(0.2);
    const buckets = (await metrics.registry.getSingleMetricAsString('work_duration_seconds')).match(/le="[^"]+"/g);
    expect(buckets).toEqual(['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'].map((le) => `le="${le}"`));
  });

  it('reads a sampled gauge at each scrape, adding its sources up, and leaves out one that stopped or failed', async () => {
    const metrics = createMetrics('products');
    const family = { name: 'pool_connections', help: 'Connections', labelNames: ['state'] } as const;
    let idle = 2;
    const stopFirst = metrics.sampled(family, (gauge) => gauge.inc({ state: 'idle' }, idle));
    metrics.sampled(family, (gauge) => gauge.inc({ state: 'idle' }, 3));
    metrics.sampled(family, () => Promise.reject(new Error('the database is away')));
    metrics.sampled(family, () => {
      throw new Error('broken');
    });
    const read = async () => (await metrics.registry.getSingleMetricAsString('pool_connections')).split('\n').at(-1);
    expect(await read()).toBe('pool_connections{state="idle",service="products"} 5');
    idle = 7;
    expect(await read()).toBe('pool_connections{state="idle",service="products"} 10');
    stopFirst();
    expect(await read()).toBe('pool_connections{state="idle",service="products"} 3');
  });

  it('switched off, hands out instruments that take every call and count nothing, with no process metrics', async () => {
    const metrics = createMetrics('orders', { enabled: false });
    expect(metrics.enabled).toBe(false);
    const calls = metrics.counter({ name: 'calls_total', help: 'Calls', labelNames: ['target'] });
    calls.labels('users').inc();
    calls.inc({ target: 'products' }, 2);
    metrics.gauge({ name: 'level', help: 'Level' }).set(3);
    metrics.histogram({ name: 'work_duration_seconds', help: 'Work' }).labels().observe(0.2);
    const stop = metrics.sampled({ name: 'sampled', help: 'Sampled' }, () => {
      throw new Error('never read');
    });
    stop();
    expect((await metrics.registry.metrics()).trim()).toBe('');
  });
});
