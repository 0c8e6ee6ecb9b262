import { randomUUID } from 'node:crypto';
import type { ApiResponse, JsonRequestInit } from './json-request.js';

type Api = (path: string, init?: JsonRequestInit) => Promise<ApiResponse>;

export const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

export interface Credentials {
  email: string;
  password: string;
}

/** The headers that send an access token. */
export type Auth = { authorization: string };

/** Anything that carries a caller's access token: an Account, or just its headers. */
export interface Signed {
  auth: Auth;
}

interface User {
  id: string;
  email: string;
  name: string;
  role: 'customer' | 'admin';
  createdAt: string;
}

/** A user signed up with a password, not logged in. */
export interface SignedUp extends Credentials {
  id: string;
  /** The user as sign-up answered it. */
  user: User;
}

/** What a login gives: an access token, and the refresh token's cookie. */
export interface Login extends Signed {
  accessToken: string;
  /** Seconds the access token is valid for, as the login said. */
  expiresIn: number;
  /** `refresh_token=…`, as a browser would send it back to /api/auth/refresh and /logout. */
  cookie: string;
}

export type Account = SignedUp & Login;

export const bearer = (accessToken: string): Auth => ({ authorization: `Bearer ${accessToken}` });

/** The request's headers with the caller's token added (one of `init`'s own wins). */
function signedInit(caller: Signed | undefined, init: JsonRequestInit = {}): JsonRequestInit {
  const headers = new Headers(caller?.auth);
  for (const [name, value] of new Headers(init.headers)) headers.set(name, value);
  return { ...init, headers: Object.fromEntries(headers) };
}

/** The `name=value` of the refresh_token cookie an answer sets, or undefined. */
export function refreshCookieOf(res: ApiResponse): string | undefined {
  return res.headers
    .getSetCookie()
    .find((cookie) => cookie.startsWith('refresh_token='))
    ?.split(';')[0];
}

// A token lives 15 minutes; the admin's is renewed when less than this is left, so a test
// that asks for it never gets one about to expire.
const RENEW_WHEN_LEFT_MS = 5 * 60_000;

/**
 * Users, products and orders made through the API as a client makes them, for the tests of
 * the running stack, on Compose (test/stack) and on Swarm (test/swarm): customers sign up
 * and log in; products are made by the admin the stack starts with (`adminCredentials`).
 */
export function shop(api: Api, who: string, adminCredentials: Credentials) {
  async function login({ email, password }: Credentials): Promise<Login> {
    const res = await api('/api/auth/login', { method: 'POST', json: { email, password } });
    const cookie = refreshCookieOf(res);
    if (res.status !== 200 || cookie === undefined) throw new Error(`${email} not logged in: ${res.status} ${res.text}`);
    const { accessToken, expiresIn } = res.body as { accessToken: string; expiresIn: number };
    return { accessToken, expiresIn, cookie, auth: bearer(accessToken) };
  }

  async function signUp(): Promise<SignedUp> {
    const email = `${who.toLowerCase()}.${unique()}@example.com`;
    const password = `pw-${randomUUID()}`;
    const res = await api('/api/users', { method: 'POST', json: { email, name: `${who} Tester`, password } });
    if (res.status !== 201) throw new Error(`user not created: ${res.status} ${res.text}`);
    return { id: res.body.id, email, password, user: res.body };
  }

  let adminLogin: { renewAt: number; validUntil: number; account: Promise<Account> } | undefined;

  async function adminAccount(): Promise<Account> {
    const signedIn = await login(adminCredentials);
    const me = await api('/api/users/me', { headers: signedIn.auth });
    if (me.status !== 200 || me.body.role !== 'admin') throw new Error(`${adminCredentials.email} is not an admin: ${me.status} ${me.text}`);
    return { ...adminCredentials, id: me.body.id, user: me.body, ...signedIn };
  }

  /**
   * The stack's admin, logged in once and again when its token has less than 5 minutes
   * left. A renewal that fails (users restarting, say) keeps the token it had while that
   * is still valid, so a test that stops users can still read the admin's /api/status.
   */
  function admin(): Promise<Account> {
    const startedAt = Date.now();
    if (adminLogin && startedAt < adminLogin.renewAt) return adminLogin.account;
    const previous = adminLogin;
    const account: Promise<Account> = adminAccount().then(
      (signedIn) => {
        const validUntil = startedAt + signedIn.expiresIn * 1000;
        adminLogin = { renewAt: validUntil - RENEW_WHEN_LEFT_MS, validUntil, account };
        return signedIn;
      },
      (error: unknown) => {
        if (previous && Date.now() < previous.validUntil - 30_000) {
          adminLogin = { ...previous, renewAt: 0 };
          return previous.account;
        }
        adminLogin = undefined;
        throw error;
      },
    );
    // Callers meanwhile share this login.
    adminLogin = { renewAt: Number.POSITIVE_INFINITY, validUntil: Number.POSITIVE_INFINITY, account };
    return account;
  }

  /** A request sent with the admin's token. */
  async function asAdmin(path: string, init: JsonRequestInit = {}): Promise<ApiResponse> {
    return api(path, signedInit(await admin(), init));
  }

  return {
    login,
    signUp,
    admin,
    asAdmin,

    /** A new customer, signed up with a password of its own and logged in. */
    async customer(): Promise<Account> {
      const signedUp = await signUp();
      return { ...signedUp, ...(await login(signedUp)) };
    },

    async createProduct(stock = 100, priceCents = 1500): Promise<{ id: string; stock: number }> {
      const res = await asAdmin('/api/products', { method: 'POST', json: { name: `Product ${unique()}`, priceCents, stock } });
      if (res.status !== 201) throw new Error(`product not created: ${res.status} ${res.text}`);
      return res.body;
    },

    /**
     * One order of `quantity` of one product, placed by `buyer` for themself, with an
     * Idempotency-Key of its own unless given.
     */
    placeOrder(buyer: Signed, productId: string, quantity: number, init: JsonRequestInit = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has('Idempotency-Key')) headers.set('Idempotency-Key', randomUUID());
      return api('/api/orders', { ...signedInit(buyer, { ...init, headers }), method: 'POST', json: { items: [{ productId, quantity }] } });
    },
  };
}
