import { afterEach, describe, expect, it, vi } from 'vitest';
import { request, useTokens, type TokenSource } from './api';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const refused = (code: string) => json(401, { error: { code, message: 'no', requestId: 'r1' } });

/** fetch answering from `answers` in turn, remembering each call's Authorization header. */
function fakeFetch(...answers: Response[]) {
  const sent: (string | null)[] = [];
  const fetch = vi.fn(async (_url: string, init: RequestInit) => {
    sent.push(new Headers(init.headers).get('authorization'));
    const answer = answers.shift();
    if (!answer) throw new Error('no more answers');
    return answer;
  });
  vi.stubGlobal('fetch', fetch);
  return { fetch, sent };
}

/** A token source holding `first`, which renews to `next` (or fails to, when undefined). */
function tokens(first: string | undefined, next?: string): TokenSource & { renewals: string[] } {
  let current = first;
  const renewals: string[] = [];
  return {
    renewals,
    token: async () => current,
    renew: async (rejected) => {
      renewals.push(rejected);
      current = next;
      return next !== undefined;
    },
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('request', () => {
  it('sends the session’s token as a bearer token, and none when signed out', async () => {
    const { sent } = fakeFetch(json(200, {}), json(200, {}));
    useTokens(tokens('t1'));
    await request('GET', '/api/orders');
    useTokens(tokens(undefined));
    await request('GET', '/api/products');
    expect(sent).toEqual(['Bearer t1', null]);
  });

  it('sends no token where told not to (log-in, refresh), and a given one where given', async () => {
    const { fetch, sent } = fakeFetch(json(200, {}), json(200, {}));
    useTokens(tokens('t1'));
    await request('POST', '/api/auth/refresh', { bearer: false });
    await request('GET', '/api/users/me', { bearer: 'fresh' });
    expect(sent).toEqual([null, 'Bearer fresh']);
    expect(fetch.mock.calls[0]?.[1]).toMatchObject({ credentials: 'same-origin' });
  });

  it('renews a token refused as invalid_token and sends the request once more with the new one', async () => {
    const { sent } = fakeFetch(refused('invalid_token'), json(201, { id: 'o1' }));
    const source = tokens('old', 'new');
    useTokens(source);
    const result = await request<{ id: string }>('POST', '/api/orders', { body: { items: [] }, headers: { 'Idempotency-Key': 'k1' } });
    expect(result).toMatchObject({ ok: true, status: 201, data: { id: 'o1' } });
    expect(sent).toEqual(['Bearer old', 'Bearer new']);
    expect(source.renewals).toEqual(['old']);
  });

  it('gives back the 401 when the token cannot be renewed (signed out meanwhile)', async () => {
    const { sent } = fakeFetch(refused('invalid_token'));
    useTokens(tokens('old'));
    const result = await request('GET', '/api/orders');
    expect(result).toMatchObject({ ok: false, status: 401, record: { error: { code: 'invalid_token' } } });
    expect(sent).toEqual(['Bearer old']);
  });

  it('does not renew for a 401 that is not about the token, nor for a token it was given', async () => {
    const { sent } = fakeFetch(refused('invalid_credentials'), refused('invalid_token'));
    const source = tokens('t1', 't2');
    useTokens(source);
    expect((await request('POST', '/api/auth/login', { bearer: false, body: {} })).status).toBe(401);
    expect((await request('GET', '/api/users/me', { bearer: 'given' })).status).toBe(401);
    expect(source.renewals).toEqual([]);
    expect(sent).toEqual([null, 'Bearer given']);
  });
});
