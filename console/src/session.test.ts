import { describe, expect, it, vi } from 'vitest';
import type { TokenReply, User } from './api-types';
import { createSession, renewDelayMs, RETRY_MS, roleOf, tokenClaims, type Reply, type SessionDeps } from './session';

const base64url = (value: object): string => btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const jwt = (claims: object): string => `${base64url({ alg: 'EdDSA', kid: 'k1' })}.${base64url(claims)}.c2lnbmF0dXJl`;

const ANN: User = { id: 'u-ann', email: 'ann@example.com', name: 'Ann', role: 'customer', createdAt: '2025-01-01T00:00:00.000Z' };
const ADMIN: User = { id: 'u-admin', email: 'admin@shopstack.local', name: 'Admin', role: 'admin', createdAt: '2025-01-01T00:00:00.000Z' };

let counter = 0;
const tokenFor = (user: User, expiresIn = 900): Reply<TokenReply> => ({
  status: 200,
  data: { accessToken: jwt({ sub: user.id, role: user.role, n: ++counter }), tokenType: 'Bearer', expiresIn },
});
const answer = <T>(status: number | undefined): Reply<T> => (status === undefined ? {} : { status });

/** A session on a fake clock: `advance` fires the timers that fall due, in order. */
function harness(overrides: Partial<SessionDeps> = {}) {
  let now = 1_000_000;
  let nextId = 0;
  const timers = new Map<number, { at: number; task: () => void }>();
  const deps: SessionDeps = {
    refresh: vi.fn(async () => answer<TokenReply>(401)),
    me: vi.fn(async () => ({ status: 200, data: ANN })),
    now: () => now,
    setTimer: (task, ms) => {
      timers.set(++nextId, { at: now + ms, task });
      return nextId;
    },
    clearTimer: (handle) => timers.delete(handle as number),
    ...overrides,
  };
  const session = createSession(deps);
  return {
    deps,
    session,
    pending: () => [...timers.values()].map((t) => t.at - now),
    async advance(ms: number) {
      const until = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].task();
        await new Promise((resolve) => setTimeout(resolve, 0)); // let the task's promises settle
      }
      now = until;
    },
  };
}

describe('tokenClaims', () => {
  it('reads the subject and the role of a JWT, without trusting anything else', () => {
    expect(tokenClaims(jwt({ sub: 'u1', role: 'admin', exp: 1 }))).toEqual({ sub: 'u1', role: 'admin' });
    expect(tokenClaims(jwt({ sub: 'u1', role: 'root' }))).toEqual({ sub: 'u1' });
  });

  it('gives nothing for what is not a JWT', () => {
    expect(tokenClaims('garbage')).toEqual({});
    expect(tokenClaims('a.%%%.c')).toEqual({});
  });
});

describe('renewDelayMs', () => {
  it('renews a minute before a 15-minute token expires, half-way through a short one', () => {
    expect(renewDelayMs(900)).toBe(840_000);
    expect(renewDelayMs(60)).toBe(30_000);
  });
});

describe('the session', () => {
  it('starts checking, and is anonymous when the refresh cookie is missing (401)', async () => {
    const { session, deps, pending } = harness();
    expect(session.state()).toEqual({ kind: 'checking' });
    expect(await session.start()).toBe(false);
    expect(session.state()).toEqual({ kind: 'anonymous' });
    expect(await session.token()).toBeUndefined();
    expect(deps.me).not.toHaveBeenCalled();
    expect(pending()).toEqual([]);
  });

  it('keeps a session across a reload: the cookie gives a token, then the user is read with it', async () => {
    const reply = tokenFor(ANN);
    const { session, deps } = harness({ refresh: vi.fn(async () => reply) });
    const seen: string[] = [];
    session.watch((state) => seen.push(roleOf(state)));
    expect(await session.start()).toBe(true);
    expect(session.state()).toEqual({ kind: 'signed-in', user: ANN });
    expect(deps.me).toHaveBeenCalledWith(reply.data?.accessToken);
    expect(await session.token()).toBe(reply.data?.accessToken);
    expect(seen).toEqual(['checking', 'customer']);
  });

  it('makes calls made during the first check wait for it, so they carry the token', async () => {
    const reply = tokenFor(ANN);
    let answerRefresh: (value: Reply<TokenReply>) => void = () => undefined;
    const { session } = harness({ refresh: vi.fn(() => new Promise<Reply<TokenReply>>((resolve) => (answerRefresh = resolve))) });
    const started = session.start();
    const token = session.token();
    answerRefresh(reply);
    await started;
    expect(await token).toBe(reply.data?.accessToken);
  });

  it('logs in, shows the role, and logs out: the token is forgotten even before the API answers', async () => {
    const { session } = harness({ me: vi.fn(async () => ({ status: 200, data: ADMIN })) });
    await session.start();
    const login = { ...tokenFor(ADMIN), record: 'the whole answer' };
    expect(await session.logIn(async () => login)).toBe(login);
    expect(roleOf(session.state())).toBe('admin');
    expect(await session.token()).toBe(login.data?.accessToken);

    let answerLogout: (value: Reply<unknown>) => void = () => undefined;
    const loggingOut = session.logOut(() => new Promise<Reply<unknown>>((resolve) => (answerLogout = resolve)));
    expect(session.state()).toEqual({ kind: 'anonymous' });
    expect(await session.token()).toBeUndefined();
    answerLogout({ status: 204 });
    expect((await loggingOut).status).toBe(204);
  });

  it('stays anonymous after wrong credentials and hands back the answer to show', async () => {
    const { session, deps } = harness();
    await session.start();
    expect((await session.logIn(async () => answer<TokenReply>(401))).status).toBe(401);
    expect(session.state()).toEqual({ kind: 'anonymous' });
    expect(deps.me).not.toHaveBeenCalled();
  });

  it('renews the token a minute before it expires, without reading the user again', async () => {
    const first = tokenFor(ANN);
    const second = tokenFor(ANN);
    const refresh = vi.fn<SessionDeps['refresh']>().mockResolvedValueOnce(first).mockResolvedValueOnce(second);
    const h = harness({ refresh });
    await h.session.start();
    expect(h.pending()).toEqual([840_000]);
    await h.advance(839_000);
    expect(refresh).toHaveBeenCalledTimes(1);
    await h.advance(1_000);
    expect(refresh).toHaveBeenCalledTimes(2);
    expect(await h.session.token()).toBe(second.data?.accessToken);
    expect(h.deps.me).toHaveBeenCalledTimes(1);
  });

  it('renews before sending a token that is about to expire (a timer a sleeping laptop missed)', async () => {
    const first = tokenFor(ANN);
    const second = tokenFor(ANN);
    const refresh = vi.fn<SessionDeps['refresh']>().mockResolvedValueOnce(first).mockResolvedValueOnce(second);
    const h = harness({ refresh });
    await h.session.start();
    h.deps.clearTimer(1); // the planned renewal never ran
    await h.advance(879_000);
    expect(await h.session.token()).toBe(first.data?.accessToken);
    await h.advance(1_000); // 20 s left
    expect(await h.session.token()).toBe(second.data?.accessToken);
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('sends a short-lived token for its first three quarters without renewing it', async () => {
    const refresh = vi.fn<SessionDeps['refresh']>().mockResolvedValueOnce(tokenFor(ANN, 40)).mockResolvedValueOnce(tokenFor(ANN, 40));
    const h = harness({ refresh });
    await h.session.start();
    h.deps.clearTimer(1);
    await h.advance(29_000);
    await h.session.token();
    expect(refresh).toHaveBeenCalledTimes(1);
    await h.advance(1_000);
    await h.session.token();
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('renews once for many calls refused at once with invalid_token, and not again for a token already replaced', async () => {
    const first = tokenFor(ANN);
    const second = tokenFor(ANN);
    const refresh = vi.fn<SessionDeps['refresh']>().mockResolvedValueOnce(first).mockResolvedValueOnce(second);
    const { session } = harness({ refresh });
    await session.start();
    const rejected = first.data?.accessToken;
    expect(await Promise.all([session.renew(rejected), session.renew(rejected), session.renew(rejected)])).toEqual([true, true, true]);
    expect(refresh).toHaveBeenCalledTimes(2);
    // A late 401 for the old token: the new one is already here.
    expect(await session.renew(rejected)).toBe(true);
    expect(refresh).toHaveBeenCalledTimes(2);
    expect(await session.token()).toBe(second.data?.accessToken);
  });

  it('is signed out when the refresh is refused (a revoked or reused refresh token)', async () => {
    const refresh = vi.fn<SessionDeps['refresh']>().mockResolvedValueOnce(tokenFor(ANN)).mockResolvedValueOnce(answer(401));
    const { session } = harness({ refresh });
    await session.start();
    expect(await session.renew(await session.token())).toBe(false);
    expect(session.state()).toEqual({ kind: 'anonymous' });
    expect(await session.token()).toBeUndefined();
  });

  it('stays signed in while users is unreachable and the token still valid, retrying every 10 s', async () => {
    const first = tokenFor(ANN);
    const later = tokenFor(ANN);
    const refresh = vi
      .fn<SessionDeps['refresh']>()
      .mockResolvedValueOnce(first)
      .mockResolvedValueOnce(answer(503))
      .mockResolvedValueOnce(answer(undefined))
      .mockResolvedValueOnce(later);
    const h = harness({ refresh });
    await h.session.start();
    await h.advance(840_000); // the planned renewal: 503
    expect(roleOf(h.session.state())).toBe('customer');
    expect(await h.session.token()).toBe(first.data?.accessToken);
    expect(h.pending()).toEqual([RETRY_MS]);
    await h.advance(RETRY_MS); // no answer at all
    expect(roleOf(h.session.state())).toBe('customer');
    await h.advance(RETRY_MS); // users is back
    expect(refresh).toHaveBeenCalledTimes(4);
    expect(refresh).toHaveBeenLastCalledWith(true);
    expect(await h.session.token()).toBe(later.data?.accessToken);
  });

  it('says why when the session cannot be checked at load, and signs in once users answers again', async () => {
    const refresh = vi.fn<SessionDeps['refresh']>().mockResolvedValueOnce(answer(503)).mockResolvedValueOnce(tokenFor(ANN));
    const h = harness({ refresh });
    await h.session.start();
    const state = h.session.state();
    expect(state.kind === 'anonymous' && state.problem).toContain('answered 503');
    await h.advance(RETRY_MS);
    expect(h.session.state()).toEqual({ kind: 'signed-in', user: ANN });
  });

  it('does not let a refresh already on its way sign the page back in after a log-out', async () => {
    let answerRefresh: (value: Reply<TokenReply>) => void = () => undefined;
    const refresh = vi
      .fn<SessionDeps['refresh']>()
      .mockResolvedValueOnce(tokenFor(ANN))
      .mockImplementationOnce(() => new Promise((resolve) => (answerRefresh = resolve)));
    const { session } = harness({ refresh });
    await session.start();
    const renewing = session.renew(await session.token());
    await session.logOut(async () => answer(204));
    answerRefresh(tokenFor(ANN));
    expect(await renewing).toBe(false);
    expect(session.state()).toEqual({ kind: 'anonymous' });
    expect(await session.token()).toBeUndefined();
  });

  it('runs each refresh through `exclusive`, so two tabs never present the same refresh token', async () => {
    const order: string[] = [];
    const exclusive = async <T>(work: () => Promise<T>): Promise<T> => {
      order.push('lock');
      const result = await work();
      order.push('unlock');
      return result;
    };
    const refresh = vi.fn(async () => {
      order.push('refresh');
      return tokenFor(ANN);
    });
    const { session } = harness({ exclusive, refresh });
    await session.start();
    expect(order).toEqual(['lock', 'refresh', 'unlock']);
  });

  it('shows the role the token carries when the user cannot be read', async () => {
    const { session } = harness({ refresh: vi.fn(async () => tokenFor(ADMIN)), me: vi.fn(async () => answer<User>(503)) });
    await session.start();
    expect(session.state()).toMatchObject({ kind: 'signed-in', user: { id: ADMIN.id, role: 'admin' } });
  });

  it('forgets the session when another tab logs out', async () => {
    const { session, pending } = harness({ refresh: vi.fn(async () => tokenFor(ANN)) });
    await session.start();
    session.forget();
    expect(session.state()).toEqual({ kind: 'anonymous' });
    expect(pending()).toEqual([]);
  });
});
