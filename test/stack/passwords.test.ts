import { describe, expect, it } from 'vitest';
import { api, asAdmin, compose, customer, exec, inspect, login, secretsJob, signUp } from './stack.js';

/** The README's steps: change the password in Postgres, then with the secrets job, then restart users. */
async function changeUsersPassword(to: string): Promise<void> {
  const altered = await exec('users-db', ['psql', '-U', 'users', '-d', 'users', '-c', `ALTER USER users PASSWORD '${to}'`]);
  expect(altered.output).toContain('ALTER ROLE');
  await secretsJob(['set', 'users_db_password'], to);
  await compose('up', '-d', '--wait', '--force-recreate', '--no-deps', 'users');
  // A file in both folders, never a variable.
  expect((await exec('users', ['cat', '/run/secrets/users_db_password'])).output).toBe(to);
  expect((await exec('users-db', ['cat', '/run/secrets/users_db_password'])).output).toBe(to);
  expect(await inspect('users', '{{range .Config.Env}}{{println .}}{{end}}')).not.toContain(to);
}

describe('changing a database password', () => {
  it('works as the README says, with the data kept', async () => {
    const before = await signUp();
    const original = (await secretsJob(['show', 'users_db_password'])).trim();
    await changeUsersPassword('changed-password-1');
    try {
      expect((await asAdmin(`/api/users/${before.id}`)).body).toMatchObject({ id: before.id });
      // The password hash was kept with the rest, and new users can be written.
      const { auth } = await login(before);
      expect((await api('/api/users/me', { headers: auth })).body).toMatchObject({ id: before.id, role: 'customer' });
      await customer();
    } finally {
      await changeUsersPassword(original);
    }
    expect((await asAdmin(`/api/users/${before.id}`)).status).toBe(200);
  });
});

describe('changing the admin’s password', () => {
  it('takes the one set with the secrets job at the next start of users', async () => {
    const original = (await secretsJob(['show', 'admin_password'])).trim();
    const email = 'admin@shopstack.local';
    const logsIn = async (password: string) => (await api('/api/auth/login', { method: 'POST', json: { email, password } })).status === 200;
    await secretsJob(['set', 'admin_password'], 'a-new-admin-password');
    try {
      await compose('restart', 'users');
      await compose('up', '-d', '--wait', '--no-deps', 'users');
      expect(await logsIn('a-new-admin-password')).toBe(true);
      expect(await logsIn(original)).toBe(false);
    } finally {
      await secretsJob(['set', 'admin_password'], original);
      await compose('restart', 'users');
      await compose('up', '-d', '--wait', '--no-deps', 'users');
    }
    expect(await logsIn(original)).toBe(true);
  });
});

describe('changing a Redis user’s password', () => {
  it('takes the new one after a restart of Redis (its ACL file, made again) and of the service', async () => {
    const original = (await secretsJob(['show', 'redis_users_password'])).trim();
    const ready = async () => (await exec('users', ['node', '/app/healthcheck.cjs', '/ready'])).output;
    const restart = async () => {
      await compose('restart', 'redis', 'users');
      await compose('up', '-d', '--wait', '--no-deps', 'redis', 'users');
    };
    await secretsJob(['set', 'redis_users_password'], 'a-new-redis-password');
    try {
      await restart();
      expect((await exec('users', ['cat', '/run/secrets/redis_users_password'])).output).toBe('a-new-redis-password');
      expect(await ready()).toMatch(/^200 .*"redis":"up"/);
      // Through Redis: a login's failure counter, kept under users' own keys.
      expect((await api('/api/auth/login', { method: 'POST', json: { email: 'nobody@example.com', password: 'not-the-password' } })).status).toBe(401);
    } finally {
      await secretsJob(['set', 'redis_users_password'], original);
      await restart();
    }
    expect(await ready()).toMatch(/^200 .*"redis":"up"/);
  });
});
