import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, compose } from './stack.js';

interface Echo {
  instance: string;
  url: string;
  headers: Record<string, string>;
}

let base = '';
const get = async <T = Echo>(path: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${base}${path}`, { headers, signal: AbortSignal.timeout(20_000) });
  return { status: res.status, body: (await res.json()) as T };
};

describe('the Nginx lab (profile "lab")', () => {
  beforeAll(async () => {
    await compose('--profile', 'lab', 'up', '-d', '--wait', 'nginx-lab');
    const mapping = (await compose('--profile', 'lab', 'port', 'nginx-lab', '80')).trim();
    base = `http://127.0.0.1:${mapping.slice(mapping.lastIndexOf(':') + 1)}`;
  });

  afterAll(async () => {
    await compose('--profile', 'lab', 'rm', '--stop', '--force', 'nginx-lab', 'echo');
  });

  it('routes by path straight to each service', async () => {
    const { auth } = await admin();
    expect((await get<{ items: unknown[] }>('/users?limit=1', auth)).status).toBe(200);
    expect((await get<{ items: unknown[] }>('/products?limit=1')).body).toHaveProperty('items');
    expect((await get('/orders?userId=00000000-0000-4000-8000-000000000000', auth)).status).toBe(200);
  });

  it('meets services that check the caller themselves: past the gateway, no token is still a 401', async () => {
    for (const path of ['/users?limit=1', '/orders?userId=00000000-0000-4000-8000-000000000000']) {
      const res = await get<{ error: { code: string } }>(path);
      expect(res.status, path).toBe(401);
      expect(res.body.error.code, path).toBe('unauthorized');
    }
  });

  it('shows the headers nginx forwards, and strips the location prefix', async () => {
    const { body } = await get('/echo/round-robin/hello?x=1');
    expect(body.url).toBe('/hello?x=1');
    expect(body.headers['x-real-ip']).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(body.headers['x-forwarded-for']).toBe(body.headers['x-real-ip']);
    expect(body.headers['x-forwarded-proto']).toBe('http');
    expect(body.headers['host']).toMatch(/^127\.0\.0\.1(:\d+)?$/);
  });

  it('round-robin takes the three replicas in turn; ip_hash keeps one client on one replica', async () => {
    const turns = [];
    for (let i = 0; i < 6; i++) turns.push((await get('/echo/round-robin/')).body.instance);
    expect(new Set(turns).size).toBe(3);
    expect(turns.slice(3)).toEqual(turns.slice(0, 3));

    const sticky = new Set<string>();
    for (let i = 0; i < 6; i++) sticky.add((await get('/echo/ip-hash/')).body.instance);
    expect(sticky.size).toBe(1);
  });

  it('least_conn sends new requests away from a replica busy with a slow one; round-robin does not', async () => {
    const busyOn = async (strategy: string) => {
      const slow = get(`/echo/${strategy}/?delay=3000`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const quick = [];
      for (let i = 0; i < 4; i++) quick.push((await get(`/echo/${strategy}/`)).body.instance);
      return { busy: (await slow).body.instance, quick };
    };
    const leastConn = await busyOn('least-conn');
    expect(leastConn.quick).not.toContain(leastConn.busy);
    const roundRobin = await busyOn('round-robin');
    expect(roundRobin.quick).toContain(roundRobin.busy);
  });
});
