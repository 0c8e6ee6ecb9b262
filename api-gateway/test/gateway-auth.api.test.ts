import { beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { useGatewayFixture } from './gateway-fixture.js';

const ctx = useGatewayFixture();
const { request } = ctx;

let credentials: { email: string; password: string };

beforeAll(async () => {
  const { email, password } = await ctx.fixture.shop.customer();
  credentials = { email, password };
});

/** Logs in through the gateway: the answer, and the refresh cookie as a browser sends it back. */
async function logIn() {
  const res = await request(ctx.gateway).post('/api/auth/login').send(credentials);
  expect(res.status).toBe(200);
  const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  return { res, setCookie, cookie: setCookie[0]!.split(';')[0]! };
}

describe('/api/auth through the gateway', () => {
  it('logs in: the token, and the refresh cookie passed back as users set it, never stored by a cache', async () => {
    const { res, setCookie, cookie } = await logIn();
    expect(res.body).toMatchObject({ accessToken: expect.any(String), tokenType: 'Bearer' });
    expect(setCookie).toHaveLength(1);
    expect(cookie).toMatch(/^refresh_token=./);
    expect(setCookie[0]).toMatch(/Path=\/api\/auth/);
    expect(setCookie[0]).toMatch(/HttpOnly/);
    expect(setCookie[0]).toMatch(/SameSite=Strict/);
    expect(res.headers['cache-control']).toBe('no-store');
    const me = await request(ctx.gateway).get('/api/users/me').set('Authorization', `Bearer ${res.body.accessToken}`);
    expect(me.body.email).toBe(credentials.email);
  });

  it('passes the cookie on to refresh, and its replacement back', async () => {
    const { cookie } = await logIn();
    const refreshed = await request(ctx.gateway).post('/api/auth/refresh').set('Cookie', cookie);
    expect(refreshed.status).toBe(200);
    const next = ([] as string[]).concat(refreshed.headers['set-cookie'] ?? [])[0]!.split(';')[0]!;
    expect(next).not.toBe(cookie);
    expect((await request(ctx.gateway).post('/api/auth/refresh').set('Cookie', next)).status).toBe(200);
  });

  it('refreshes even when an expired or broken access token is sent along', async () => {
    const { cookie } = await logIn();
    const res = await request(ctx.gateway).post('/api/auth/refresh').set('Cookie', cookie).set('Authorization', 'Bearer not.a.token');
    expect(res.status).toBe(200);
  });

  it('tells users the client’s address as it saw it, not what the client claims', async () => {
    const requestId = `login-${uuidv7()}`;
    await request(ctx.gateway)
      .post('/api/auth/login')
      .set('X-Request-ID', requestId)
      // nginx appends the address it saw; only that last hop is trusted.
      .set('X-Forwarded-For', '198.51.100.1, 10.9.8.7')
      .send(credentials);
    const seen = ctx.fixture.logs.users.lines().find((line) => line.requestId === requestId && line.req);
    expect((seen?.req as { forwardedFor?: string } | undefined)?.forwardedFor).toBe('10.9.8.7');
  });
});

describe('refresh and logout from another site', () => {
  // nginx passes `Host: $host`, without the port; the browser's Origin has it.
  const HOST = 'shop.example';
  const REFUSED: Array<[string, Record<string, string>]> = [
    ['Sec-Fetch-Site: cross-site', { 'Sec-Fetch-Site': 'cross-site' }],
    ['Sec-Fetch-Site: same-site', { 'Sec-Fetch-Site': 'same-site' }],
    ['an Origin of another host', { Origin: 'https://evil.example' }],
    ['an Origin of a sibling host', { Origin: 'http://api.shop.example:8080' }],
    ['Origin: null', { Origin: 'null' }],
  ];

  it.each(REFUSED.flatMap(([what, headers]) => ['refresh', 'logout'].map((action) => ({ what, headers, action }))))(
    'refuses $action with $what (403), and the cookie stays good',
    async ({ headers, action }) => {
      const { cookie } = await logIn();
      const res = await request(ctx.gateway).post(`/api/auth/${action}`).set('Host', HOST).set('Cookie', cookie).set(headers);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
      expect(res.headers['set-cookie']).toBeUndefined();
      expect((await request(ctx.gateway).post('/api/auth/refresh').set('Cookie', cookie)).status).toBe(200);
    },
  );

  it.each([
    ['from the shop’s own page', { 'Sec-Fetch-Site': 'same-origin', Origin: `http://${HOST}:8080` }],
    ['typed in the address bar', { 'Sec-Fetch-Site': 'none' }],
    ['from curl, which sends neither header', {}],
  ])('lets a refresh and a logout through %s', async (_what, headers: Record<string, string>) => {
    const { cookie } = await logIn();
    const refreshed = await request(ctx.gateway).post('/api/auth/refresh').set('Host', HOST).set('Cookie', cookie).set(headers);
    expect(refreshed.status).toBe(200);
    const next = ([] as string[]).concat(refreshed.headers['set-cookie'] ?? [])[0]!.split(';')[0]!;
    expect((await request(ctx.gateway).post('/api/auth/logout').set('Host', HOST).set('Cookie', next).set(headers)).status).toBe(204);
  });

  it('compares the port too when the Host header carries one', async () => {
    const { cookie } = await logIn();
    const res = await request(ctx.gateway).post('/api/auth/refresh').set('Host', `${HOST}:8080`).set('Origin', `http://${HOST}:9090`).set('Cookie', cookie);
    expect(res.status).toBe(403);
  });
});
