// The page's one session, wired to the API: api.ts takes its token from here, and the tabs
// of one browser keep each other informed (BroadcastChannel) and refresh one at a time
// (Web Locks), since they share the one refresh cookie.

import { request, useTokens, type ApiResult } from './api';
import type { TokenReply, User } from './api-types';
import { createSession } from './session';

const CHANNEL = 'shopstack-session';
const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL) : undefined;

// Web Locks exist in secure contexts only (https, or http on localhost): over plain http on a
// LAN address the tabs go without, and two of them reloading at the very same moment may
// sign each other out.
function exclusive<T>(work: () => Promise<T>): Promise<T> {
  const locks = (navigator as Partial<Navigator>).locks;
  return locks ? locks.request('shopstack-refresh', work) : work();
}

export const session = createSession({
  // No timeout of our own: a refresh abandoned after users rotated the cookie would leave the
  // used one in the browser, and presenting it again revokes the login. The gateway's own
  // timeouts bound the wait.
  refresh: (background) => request<TokenReply>('POST', '/api/auth/refresh', { bearer: false, log: background ? 'background' : 'foreground' }),
  me: (token) => request<User>('GET', '/api/users/me', { bearer: token }),
  now: () => Date.now(),
  setTimer: (task, ms) => setTimeout(task, ms),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  exclusive,
});

type Message = { type: 'logged-in' } | { type: 'logged-out' };

/** Starts the session: the first calls of the page wait for the refresh cookie's answer. */
export function startSession(): void {
  useTokens(session);
  void session.start();
  channel?.addEventListener('message', (event: MessageEvent<Message>) => {
    if (event.data.type === 'logged-out') session.forget();
    // Another tab logged in: the cookie it got is this tab's too.
    else if (event.data.type === 'logged-in' && session.state().kind !== 'signed-in') void session.renew();
  });
}

export async function logIn(email: string, password: string): Promise<ApiResult<TokenReply>> {
  const reply = await session.logIn(() => request<TokenReply>('POST', '/api/auth/login', { body: { email, password }, bearer: false }));
  if (reply.ok) channel?.postMessage({ type: 'logged-in' } satisfies Message);
  return reply;
}

export async function logOut(): Promise<ApiResult<unknown>> {
  const reply = await session.logOut(() => request<unknown>('POST', '/api/auth/logout', { bearer: false }));
  channel?.postMessage({ type: 'logged-out' } satisfies Message);
  return reply;
}
