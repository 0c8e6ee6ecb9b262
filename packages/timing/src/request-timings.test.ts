import { describe, expect, it } from 'vitest';
import { RequestTimings, runWithTimings, timed } from './request-timings.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The entries of a header, as name → params. */
function entries(header: string): Array<{ name: string; desc?: string; dur: number }> {
  return header.split(', ').map((entry) => {
    const [name = '', ...params] = entry.split(';');
    const values = Object.fromEntries(params.map((param) => param.split('=') as [string, string]));
    return { name, ...(values['desc'] ? { desc: values['desc'].replace(/^"|"$/g, '') } : {}), dur: Number(values['dur']) };
  });
}

describe('request timings', () => {
  it('names the service, then each part as <service>-<part>, then what a downstream service sent', async () => {
    const timings = new RequestTimings('gateway', 'replica-1');
    await runWithTimings(timings, async () => {
      await timed('ratelimit', () => sleep(5));
      await timed('cache', async () => 'hit');
      timings.describe('cache', 'hit');
    });
    timings.passOn('products;dur=3.2, products-db;dur=1');
    const header = timings.header();
    expect(entries(header).map((entry) => entry.name)).toEqual(['gateway', 'gateway-ratelimit', 'gateway-cache', 'products', 'products-db']);
    expect(header).toContain('gateway-cache;desc=hit;dur=');
    expect(header).toContain('gateway;desc=replica-1;dur=');
    const [service, ratelimit] = entries(header);
    expect(ratelimit!.dur).toBeGreaterThanOrEqual(4);
    expect(service!.dur).toBeGreaterThanOrEqual(ratelimit!.dur);
  });

  it('counts overlapping calls to one part once in its time, and says how many there were', async () => {
    const timings = new RequestTimings('orders');
    await runWithTimings(timings, () => Promise.all([timed('db', () => sleep(30)), timed('db', () => sleep(30)), timed('db', () => sleep(30))]));
    const [, db] = entries(timings.header());
    expect(db).toMatchObject({ name: 'orders-db', desc: '3 calls' });
    expect(db!.dur).toBeGreaterThanOrEqual(25);
    expect(db!.dur).toBeLessThan(80);
  });

  it('quotes a desc that is not a token', () => {
    const timings = new RequestTimings('gateway', 'two words "quoted"');
    expect(timings.header()).toMatch(/^gateway;desc="two words \\"quoted\\"";dur=/);
  });

  it('times nothing, and never fails the work, outside a request', async () => {
    await expect(timed('db', async () => 42)).resolves.toBe(42);
    await expect(timed('db', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
  });

  it('keeps what downstream services sent bounded', () => {
    const timings = new RequestTimings('gateway');
    for (let i = 0; i < 1000; i += 1) timings.passOn(`products;dur=${i}`);
    expect(timings.header().length).toBeLessThan(5000);
  });
});
