import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose, docker, exec, inspect, passwordsOf, redisCli, secretsByFolder } from './stack.js';

// No secret in any container's environment (what `docker inspect` and /proc/1/environ show):
// every one is a file of the secrets volume, in the folder of the container it is for.

/** A variable whose name says it holds a secret, and so must be empty (its *_FILE names the file instead). */
const SECRET_NAME = /PASSWORD|SECRET|KEY|TOKEN|CREDENTIAL/;
/** A URL with a password in it: scheme://user:password@host. */
const URL_WITH_PASSWORD = /\/\/[^/@:]*:[^/@]+@/;

interface Inspected {
  Name: string;
  Config: { Env: string[] | null; Labels: Record<string, string> };
  HostConfig: { Mounts: Array<{ Source: string; Target: string; ReadOnly?: boolean; VolumeOptions?: { Subpath?: string } }> | null };
}

let containers: Inspected[];

beforeAll(async () => {
  // The seed job too (profile "seed"): created, never started, to be inspected.
  await compose('--profile', 'seed', 'create', '--no-recreate', 'seed');
  const ids = (await compose('--profile', 'seed', 'ps', '--all', '-q')).split('\n').filter(Boolean);
  containers = JSON.parse(await docker('inspect', ...ids)) as Inspected[];
}, 120_000);

afterAll(async () => {
  await compose('--profile', 'seed', 'rm', '-f', 'seed');
});

const serviceOf = (container: Inspected) => container.Config.Labels['com.docker.compose.service']!;

describe('secrets', () => {
  it('puts none in any container’s environment, the secrets job and seed included', async () => {
    expect(containers.map(serviceOf)).toEqual(expect.arrayContaining(['secrets', 'seed', 'users', 'users-db', 'redis', 'nginx', 'prometheus', 'redis-exporter', 'users-db-exporter']));
    const everyPassword = Object.values(await secretsByFolder()).flatMap(passwordsOf);
    expect(everyPassword.length).toBeGreaterThan(10);
    for (const container of containers) {
      for (const entry of container.Config.Env ?? []) {
        const [name, value] = [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)];
        if (SECRET_NAME.test(name) && !name.endsWith('_FILE')) expect(value, `${container.Name}: ${name}`).toBe('');
        expect(value, `${container.Name}: ${name}`).not.toMatch(URL_WITH_PASSWORD);
        for (const password of everyPassword) expect(entry, `${container.Name}: ${name} holds a secret`).not.toContain(password);
      }
    }
  });

  it('gives each container its own folder of the secrets volume, read-only, and the job alone all of it', async () => {
    for (const container of containers) {
      const service = serviceOf(container);
      const mounts = (container.HostConfig.Mounts ?? []).filter((mount) => mount.Source.endsWith('_secrets'));
      if (service === 'secrets') {
        expect(mounts.map((mount) => mount.VolumeOptions?.Subpath ?? '')).toEqual(['']);
        continue;
      }
      for (const mount of mounts) {
        expect(mount.VolumeOptions?.Subpath, `${service}'s secrets`).toBe(service);
        expect(mount.ReadOnly, `${service}'s secrets are read-only`).toBe(true);
        expect(mount.Target).toBe('/run/secrets');
      }
    }
  });

  it('runs the job once per `up`, which exits 0 and keeps what it made', async () => {
    expect(await inspect('secrets', '{{.State.Status}} {{.State.ExitCode}}')).toBe('exited 0');
    const before = await secretsByFolder();
    await compose('run', '--rm', '-T', 'secrets');
    expect(await secretsByFolder()).toEqual(before);
  });

  it('lets each exporter log in with the files the job made for it, as nobody, and nothing more', async () => {
    const secrets = await secretsByFolder();
    // redis_exporter's JSON file: the password of the ACL user `exporter`, by address and user.
    expect(JSON.parse(secrets['redis-exporter']!['redis_exporter_auth']!)).toEqual({ 'redis://exporter@redis:6379': secrets['redis-exporter']!['redis_exporter_password'] });
    expect(Object.keys(secrets['prometheus'] ?? {})).toEqual([]);
    expect(Object.keys(secrets['nginx-exporter'] ?? {})).toEqual([]);
    const metric = async (service: 'redis-exporter' | 'users-db-exporter' | 'products-db-exporter' | 'orders-db-exporter', port: number, name: string) =>
      (await exec(service, ['wget', '-qO-', `http://127.0.0.1:${port}/metrics`])).output.split('\n').find((line) => line.startsWith(`${name} `));
    expect(await metric('redis-exporter', 9121, 'redis_up')).toBe('redis_up 1');
    for (const db of ['users', 'products', 'orders'] as const) {
      expect(Object.keys(secrets[`${db}-db-exporter`]!)).toEqual([`${db}_db_monitor_password`]);
      expect(await metric(`${db}-db-exporter`, 9187, 'pg_up'), `${db}-db-exporter`).toBe('pg_up 1');
      // The role the database's init script made: pg_monitor's statistics, and no superuser.
      const role = await exec(`${db}-db`, ['psql', '-U', db, '-d', db, '-tAc', "SELECT rolsuper, pg_has_role('monitor', 'pg_monitor', 'member') FROM pg_roles WHERE rolname = 'monitor'"]);
      expect(role.output.trim(), `${db}-db's monitor role`).toBe('f|t');
    }
    // What an exporter reads, as nobody (65534), its files 0444 in its own folder.
    expect((await exec('users-db-exporter', ['sh', '-c', 'id -u; cat /run/secrets/users_db_monitor_password >/dev/null && echo read'])).output.split('\n').filter(Boolean)).toEqual(['65534', 'read']);
    // Redis's `exporter` user: INFO, and no key's value.
    expect((await redisCli('ACL', 'DRYRUN', 'exporter', 'INFO')).output.trim()).toBe('OK');
    expect((await redisCli('ACL', 'DRYRUN', 'exporter', 'GET', 'products:any')).output).toMatch(/no permissions/);
    // And every command it sent at its scrapes (one every 5 s) was allowed: no refusal logged.
    const log = (await redisCli('ACL', 'LOG')).output.split('\n').map((line) => line.trim());
    expect(log.some((line, i) => line === 'username' && log[i + 1] === 'exporter'), log.join(' ')).toBe(false);
  });
});
