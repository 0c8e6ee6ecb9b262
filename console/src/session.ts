// Who is signed in, and the access token that proves it. The token lives in this closure
// only: never in localStorage, sessionStorage or a cookie that scripts can read, so a script
// injected into the page cannot carry it away for later. The refresh token is an HttpOnly
// cookie the browser sends to /api/auth only; POST /api/auth/refresh turns it into a new
// access token, which is how a reload keeps the session.
//
// No DOM and no fetch here: the calls come in as `deps`, so the unit tests drive the clock
// and the answers.

import type { Role, TokenReply, User } from './api-types';

/** The least of an API answer the session reads: ApiResult fits. `status` undefined: no answer. */
export interface Reply<T> {
  status?: number;
  data?: T;
}

export type SessionState =
  | { kind: 'checking' }
  /** `problem`: a session may exist, but it could not be checked (users unreachable); retrying. */
  | { kind: 'anonymous'; problem?: string }
  | { kind: 'signed-in'; user: User };

export interface SessionDeps {
  /** The cookie alone. `background`: a retry nobody asked for (logged as background traffic). */
  refresh(background: boolean): Promise<Reply<TokenReply>>;
  me(token: string): Promise<Reply<User>>;
  now(): number;
  setTimer(task: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  /**
   * Runs a refresh alone across the browser's tabs: a refresh token presented twice revokes
   * the whole login, and two tabs reloading at once would both present the same one.
   */
  exclusive?<T>(work: () => Promise<T>): Promise<T>;
}

/** Renew this long before the access token expires, so no call goes out with a dying one. */
const EARLY_MS = 60_000;
/** A token this close to its end (or in the last quarter of a short life) is renewed before it is sent. */
const MARGIN_MS = 20_000;
/** After a refresh that got no verdict (users down, 5xx, 429), try again after this. */
export const RETRY_MS = 10_000;

/** When to renew a token valid for `expiresIn` seconds: a minute early, or half-way for short ones. */
export function renewDelayMs(expiresIn: number): number {
  const ms = expiresIn * 1000;
  return Math.max(ms / 2, ms - EARLY_MS);
}

/**
 * The claims of a JWT, read without checking the signature: only to show a role when the
 * user's details could not be read. The API checks every token; the page never trusts this.
 */
export function tokenClaims(jwt: string): { sub?: string; role?: Role } {
  try {
    const part = jwt.split('.')[1] ?? '';
    const json = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
    const role = json['role'] === 'admin' || json['role'] === 'customer' ? json['role'] : undefined;
    return { ...(typeof json['sub'] === 'string' ? { sub: json['sub'] } : {}), ...(role ? { role } : {}) };
  } catch {
    return {};
  }
}

export function roleOf(state: SessionState): Role | 'anonymous' | 'checking' {
  if (state.kind === 'signed-in') return state.user.role;
  return state.kind;
}

/** A refresh answered with a verdict on the cookie: no session (401), or refused (403). */
const refused = (status: number | undefined): boolean => status === 401 || status === 403;

const noAnswer = (status: number | undefined): string => (status === undefined ? 'no answer' : `answered ${status}`);

export function createSession(deps: SessionDeps) {
  let state: SessionState = { kind: 'checking' };
  let token: { value: string; expiresAt: number; renewBy: number } | undefined;
  let renewing: Promise<boolean> | undefined;
  let timer: unknown;
  /** Bumped when the page signs out, so a refresh already on its way cannot sign it back in. */
  let epoch = 0;
  const listeners = new Set<(state: SessionState) => void>();
  const exclusive = deps.exclusive ?? (<T>(work: () => Promise<T>) => work());

  const set = (next: SessionState): void => {
    state = next;
    for (const listener of listeners) listener(state);
  };
  const clearTimer = (): void => {
    if (timer !== undefined) deps.clearTimer(timer);
    timer = undefined;
  };
  const schedule = (ms: number, background: boolean): void => {
    clearTimer();
    timer = deps.setTimer(() => {
      timer = undefined;
      void renew(undefined, background);
    }, ms);
  };
  const valid = (): boolean => token !== undefined && deps.now() < token.expiresAt;

  const forget = (next: SessionState = { kind: 'anonymous' }): void => {
    epoch += 1;
    clearTimer();
    token = undefined;
    set(next);
  };

  /** Takes a new token; reads the user unless the same user is already shown. */
  const adopt = async (reply: TokenReply): Promise<void> => {
    const life = reply.expiresIn * 1000;
    const expiresAt = deps.now() + life;
    token = { value: reply.accessToken, expiresAt, renewBy: expiresAt - Math.min(MARGIN_MS, life / 4) };
    schedule(renewDelayMs(reply.expiresIn), false);
    const claims = tokenClaims(reply.accessToken);
    const current = state.kind === 'signed-in' ? state.user : undefined;
    if (current && current.id === claims.sub && current.role === claims.role) return;
    const mine = epoch;
    const me = await deps.me(reply.accessToken);
    if (mine !== epoch) return; // signed out meanwhile
    if (me.data) return set({ kind: 'signed-in', user: me.data });
    // The token is good but users could not say who it is: show what the token says.
    set({ kind: 'signed-in', user: { id: claims.sub ?? '', email: '', name: '', role: claims.role ?? 'customer', createdAt: '' } });
  };

  const refresh = async (background: boolean): Promise<boolean> => {
    const started = epoch;
    const reply = await exclusive(() => deps.refresh(background));
    if (started !== epoch) return false;
    if (reply.data) {
      await adopt(reply.data);
      return true;
    }
    if (refused(reply.status)) {
      forget();
      return false;
    }
    // No verdict: users or the network is down. A token still valid keeps working (the API
    // checks it with keys it already holds), so the person stays signed in while we retry.
    schedule(RETRY_MS, true);
    if (!valid()) {
      token = undefined;
      set({ kind: 'anonymous', problem: `the session could not be checked (POST /api/auth/refresh ${noAnswer(reply.status)}); trying again every ${RETRY_MS / 1000} s` });
    }
    return false;
  };

  /**
   * A new access token through the cookie, one refresh at a time. `rejected`: the token a
   * call was refused with; when a newer one is already here, that one is used instead.
   */
  const renew = (rejected?: string, background = false): Promise<boolean> => {
    if (rejected !== undefined && token !== undefined && token.value !== rejected && valid()) return Promise.resolve(true);
    renewing ??= refresh(background).finally(() => {
      renewing = undefined;
    });
    return renewing;
  };

  return {
    state: (): SessionState => state,

    /** Calls `listener` now and on every change. */
    watch(listener: (state: SessionState) => void): () => void {
      listeners.add(listener);
      listener(state);
      return () => listeners.delete(listener);
    },

    /** On page load: a session cookie, if any, becomes a signed-in page. */
    start(): Promise<boolean> {
      return renew();
    },

    /** The token to send, renewed first when about to expire; undefined when signed out. */
    async token(): Promise<string | undefined> {
      if (renewing) await renewing;
      if (token && deps.now() >= token.renewBy) await renew();
      return valid() ? token?.value : undefined;
    },

    renew: (rejected?: string): Promise<boolean> => renew(rejected),

    /** `call`: POST /api/auth/login; its answer is handed back whole, for the page to show. */
    async logIn<R extends Reply<TokenReply>>(call: () => Promise<R>): Promise<R> {
      const reply = await call();
      if (reply.data) await adopt(reply.data);
      return reply;
    },

    /** `call`: POST /api/auth/logout. The token is forgotten first, whatever the API answers. */
    logOut<R>(call: () => Promise<R>): Promise<R> {
      forget();
      return call();
    },

    /** Another tab logged out: the cookie is gone, so is this page's session. */
    forget: (): void => {
      if (state.kind !== 'anonymous') forget();
    },
  };
}
