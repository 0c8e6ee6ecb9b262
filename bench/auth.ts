/** The admin the bench stack starts with (bench-stack.ts sets it): it makes the products. */
export const BENCH_ADMIN = { email: 'admin@bench.shopstack.local', password: 'bench-admin-password' } as const;

export interface Credentials {
  email: string;
  password: string;
}

/** An access token for `credentials`, logged in through nginx as any client does. */
export async function logIn(nginx: string, { email, password }: Credentials): Promise<string> {
  const res = await fetch(`${nginx}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (res.status !== 200) throw new Error(`${email} not logged in: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

/** The Authorization header of a login that stays valid while the bench runs. */
export interface Session {
  readonly authorization: string;
}

// An access token lasts 15 minutes; the bench, longer.
const RENEW_EVERY_MS = 10 * 60_000;

/**
 * A login renewed every 10 minutes in the background (the timer does not keep the process
 * alive): read `authorization` when a load starts, and it is valid for that load.
 */
export async function session(nginx: string, credentials: Credentials): Promise<Session> {
  let token = await logIn(nginx, credentials);
  const renew = () =>
    logIn(nginx, credentials).then(
      (fresh) => (token = fresh),
      (error: unknown) => console.warn(`[bench] ${credentials.email}: login not renewed (${String(error)}); the current token lasts a few more minutes`),
    );
  setInterval(() => void renew(), RENEW_EVERY_MS).unref();
  return {
    get authorization() {
      return `Bearer ${token}`;
    },
  };
}
