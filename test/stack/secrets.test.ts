import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose, docker, inspect, passwordsOf, secretsByFolder } from './stack.js';

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
    expect(containers.map(serviceOf)).toEqual(expect.arrayContaining(['secrets', 'seed', 'users', 'users-db', 'redis', 'nginx']));
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
});
