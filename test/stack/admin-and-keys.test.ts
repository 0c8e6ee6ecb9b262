import { describe, expect, it } from 'vitest';
import { bearer, refreshCookieOf, unique } from '../shop.js';
import { ADMIN } from './stack-env.js';
import { api, composeWith, customer, exec, login, waitHealthy } from './stack.js';

// Two things the README tells an operator to do, done as it says: rotate the key that signs
// access tokens, and name another admin in `.env`. Each leaves the stack as it found it
// (the admin named by STACK_ENV), and logs nobody out.

const kidOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as { kid: string }).kid;
const publishedKids = async () => ((await api('/api/auth/jwks.json')).body as { keys: Array<{ kid: string }> }).keys.map((key) => key.kid);
const me = async (accessToken: string) => api('/api/users/me', { headers: bearer(accessToken) });

describe('rotating the signing key (README, "Tokens and keys")', () => {
  it('signs with a new key after `node dist/rotate-signing-key.js`, and every token signed before still works', async () => {
    const before = await customer();
    const oldKid = kidOf(before.accessToken);
    expect(await publishedKids()).toContain(oldKid);

    const rotated = await exec('users', ['node', 'dist/rotate-signing-key.js']);
    expect(rotated.code, rotated.output).toBe(0);
    expect(rotated.output).toContain('signing key rotated');

    // The old key stays published until its last token expires: nobody is logged out.
    const kids = await publishedKids();
    expect(kids).toContain(oldKid);
    expect((await me(before.accessToken)).status).toBe(200);
    expect((await api('/api/orders', { headers: before.auth })).status).toBe(200);

    // What users signs from now on (a login, a refresh) carries the new kid, which the gateway
    // and the services fetch the first time they meet it.
    const after = await login(before);
    const newKid = kidOf(after.accessToken);
    expect(newKid).not.toBe(oldKid);
    expect(await publishedKids()).toContain(newKid);
    expect((await me(after.accessToken)).body).toMatchObject({ id: before.id, role: 'customer' });
    expect((await api('/api/orders', { headers: after.auth })).status).toBe(200);
    const refreshed = await api('/api/auth/refresh', { method: 'POST', headers: { cookie: before.cookie } });
    expect(refreshed.status).toBe(200);
    expect(refreshCookieOf(refreshed)).toBeDefined();
    expect(kidOf(refreshed.body.accessToken)).toBe(newKid);
  });
});

describe('naming another admin in .env (README, "The admin")', () => {
  /** users recreated with this ADMIN_EMAIL, as `docker compose up -d` does after `.env` changed. */
  const upWithAdmin = async (email: string) => {
    await composeWith({ ADMIN_EMAIL: email }, 'up', '-d', '--wait', '--no-deps', 'users');
    await waitHealthy('users');
  };

  it('makes that account the admin at `docker compose up -d`, and the one before a customer whose logins end', async () => {
    const email = `boss-${unique()}@example.com`;
    const previous = await login(ADMIN);
    await upWithAdmin(email);
    try {
      // The new admin logs in with the admin's password (the secrets job's), as the README says.
      const boss = await login({ email, password: ADMIN.password });
      expect((await me(boss.accessToken)).body).toMatchObject({ email, role: 'admin' });
      expect((await api('/api/users?limit=1', { headers: boss.auth })).status).toBe(200);

      // The previous admin is a customer now: its refresh cookie is dead, a new login is a customer's.
      expect((await api('/api/auth/refresh', { method: 'POST', headers: { cookie: previous.cookie } })).status).toBe(401);
      const demoted = await login(ADMIN);
      expect((await me(demoted.accessToken)).body).toMatchObject({ email: ADMIN.email, role: 'customer' });
      const refused = await api('/api/users?limit=1', { headers: demoted.auth });
      expect([refused.status, refused.body.error?.code]).toEqual([403, 'forbidden']);
    } finally {
      await upWithAdmin(ADMIN.email);
    }
    const restored = await login(ADMIN);
    expect((await me(restored.accessToken)).body).toMatchObject({ email: ADMIN.email, role: 'admin' });
  });
});
