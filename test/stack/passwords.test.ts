import { describe, expect, it } from 'vitest';
import { api, asAdmin, composeWith, customer, exec, inspect, login, signUp } from './stack.js';

/** The README's steps: change the password in Postgres, then in .env, then `up -d`. */
async function changeUsersPassword(from: string, to: string): Promise<void> {
  const altered = await exec('users-db', ['psql', '-U', 'users', '-d', 'users', '-c', `ALTER USER users PASSWORD '${to}'`]);
  expect(altered.output).toContain('ALTER ROLE');
  await composeWith({ USERS_DB_PASSWORD: to }, 'up', '-d', '--wait', 'users-db', 'users');
  const environment = await inspect('users', '{{range .Config.Env}}{{println .}}{{end}}');
  expect(environment).toContain(to);
  expect(environment).not.toContain(from);
}

describe('changing a database password', () => {
  it('works as the README says, with the data kept', async () => {
    const before = await signUp();
    await changeUsersPassword('users-demo-password', 'changed-password-1');
    try {
      expect((await asAdmin(`/api/users/${before.id}`)).body).toMatchObject({ id: before.id });
      // The password hash was kept with the rest, and new users can be written.
      const { auth } = await login(before);
      expect((await api('/api/users/me', { headers: auth })).body).toMatchObject({ id: before.id, role: 'customer' });
      await customer();
    } finally {
      await changeUsersPassword('changed-password-1', 'users-demo-password');
    }
    expect((await asAdmin(`/api/users/${before.id}`)).status).toBe(200);
  });
});
