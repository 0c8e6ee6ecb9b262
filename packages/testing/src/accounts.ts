/** A signed-up, logged-in user, as a test uses one. */
export interface Account {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  /** The refresh cookie as a browser would send it back: `refresh_token=…`. */
  cookie: string;
  /** The header that makes a request theirs. */
  auth: { authorization: string };
}

/** The admin that the users service makes at start (ADMIN_EMAIL, ADMIN_PASSWORD or ADMIN_PASSWORD_FILE). */
export const TEST_ADMIN = { email: 'admin@example.com', password: 'admin-test-password' } as const;

/** A POST that must succeed, for setting up a test: its JSON body and the cookies it set. */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  if (res.status !== 201 && res.status !== 200) throw new Error(`POST ${url} answered ${res.status}: ${await res.text()}`);
  return { body: (await res.json()) as { id: string; accessToken: string }, setCookie: res.headers.getSetCookie() };
}

/** Signs up, logs in and reads the admin at a users service listening at `url()`, as the gateway would pass the calls on. */
export function accountsAt(url: () => string) {
  const post = (path: string, body: unknown) => postJson(`${url()}${path}`, body);

  async function logIn(id: string, email: string, password: string): Promise<Account> {
    const { body, setCookie } = await post('/auth/login', { email, password });
    const cookie = setCookie.map((line) => line.split(';')[0]!).find((pair) => pair.startsWith('refresh_token='))!;
    return { id, email, password, accessToken: body.accessToken, cookie, auth: { authorization: `Bearer ${body.accessToken}` } };
  }

  /** A new customer's id (signed up, not logged in) and credentials. */
  async function signUp() {
    const email = `${crypto.randomUUID()}@example.com`;
    const password = `password-${crypto.randomUUID()}`;
    return { id: (await post('/users', { email, name: 'Buyer', password })).body.id, email, password };
  }

  let adminAccount: Promise<Account> | undefined;
  return {
    logIn,
    signUp,
    async customer(): Promise<Account> {
      const { id, email, password } = await signUp();
      return logIn(id, email, password);
    },
    /** The admin, logged in once per run (its token outlives any test file). */
    admin(): Promise<Account> {
      adminAccount ??= (async () => {
        const account = await logIn('', TEST_ADMIN.email, TEST_ADMIN.password);
        const me = (await (await fetch(`${url()}/users/me`, { headers: account.auth })).json()) as { id: string };
        return { ...account, id: me.id };
      })();
      return adminAccount;
    },
  };
}
