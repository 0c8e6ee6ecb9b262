import { describe, expect, it } from 'vitest';
import { metricValue } from '@shopstack/testing';
import { refreshCookie, useUsers } from './users-fixture.js';

const started = useUsers('users_metrics');
const login = (email: string, password: string, address: string) => started().request().post('/auth/login').set('x-forwarded-for', address).send({ email, password });
const logins = (outcome: string) => metricValue(started().metrics, 'logins_total', { outcome });

describe('users metrics', () => {
  it('counts logins that succeeded, failed, and were refused by the failure limit', async () => {
    const users = started();
    const { email, password } = await users.signUp();
    expect((await login(email, password, '192.0.2.50')).status).toBe(200);
    for (let i = 0; i < 10; i += 1) expect((await login(email, 'wrong password!!', `192.0.2.${60 + i}`)).status).toBe(401);
    expect((await login(email, password, '192.0.2.80')).status).toBe(429);
    expect([await logins('succeeded'), await logins('failed'), await logins('limited')]).toEqual([1, 10, 1]);
    expect(await metricValue(users.metrics, 'rate_limited_requests_total', { limiter: 'login' })).toBe(1);
    expect(await metricValue(users.metrics, 'http_requests_total', { route: '/auth/login', method: 'POST', status: '429' })).toBe(1);
  });

  it('counts a refresh token presented again after use', async () => {
    const users = started();
    const ann = await users.customer();
    const refresh = (cookie: string) => users.request().post('/auth/refresh').set('cookie', cookie);
    const rotated = refreshCookie((await refresh(ann.cookie)).headers['set-cookie'])!.pair;
    expect(await metricValue(users.metrics, 'refresh_token_reuse_total')).toBe(0);
    expect((await refresh(ann.cookie)).status).toBe(401);
    expect(await metricValue(users.metrics, 'refresh_token_reuse_total')).toBe(1);
    // The login it ended answers 401 too, but that token was not used twice: not counted again.
    expect((await refresh(rotated)).status).toBe(401);
    expect(await metricValue(users.metrics, 'refresh_token_reuse_total')).toBe(1);
  });

  it('counts its cache of users: a miss, then hits', async () => {
    const users = started();
    const ann = await users.customer();
    const hits = () => metricValue(users.metrics, 'cache_requests_total', { cache: 'users', result: 'hit' });
    const before = await hits();
    for (let i = 0; i < 3; i += 1) expect((await users.request().get('/users/me').set(ann.auth)).status).toBe(200);
    expect(await hits()).toBeGreaterThanOrEqual(before + 2);
    expect(await metricValue(users.metrics, 'cache_requests_total', { cache: 'users', result: 'miss' })).toBeGreaterThan(0);
  });
});
