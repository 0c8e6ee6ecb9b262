import { describe, expect, it } from 'vitest';
import { containers, docker, serviceInspect } from './swarm.js';
import { ALL_SERVICES, type Service } from './swarm-env.js';

/** What a service's container finds under /run/secrets (nothing: an empty list). */
async function secretFiles(service: Service): Promise<string[]> {
  const [id] = await containers(service);
  const listing = await docker('exec', id!, 'sh', '-c', 'ls /run/secrets 2>/dev/null || true');
  return listing.split('\n').filter(Boolean).sort();
}

const environmentOf = async (service: Service) =>
  (JSON.parse(await serviceInspect(service, '{{json .Spec.TaskTemplate.ContainerSpec.Env}}')) as string[] | null) ?? [];

/** The file under /run/secrets a `<NAME>_FILE` variable of the service names. */
async function secretNamedBy(service: Service, variable: string): Promise<string | undefined> {
  const prefix = `${variable}=/run/secrets/`;
  return (await environmentOf(service)).find((entry) => entry.startsWith(prefix))?.slice(prefix.length);
}

describe('passwords and the signing key as Swarm secrets', () => {
  it('shows no password in any service definition', async () => {
    for (const service of ALL_SERVICES) {
      for (const entry of await environmentOf(service)) {
        expect(entry, service).not.toMatch(/^[A-Z_]*PASSWORD=/);
        expect(entry, service).not.toMatch(/\/\/[^/@]*:[^/@]*@/);
        expect(entry, service).not.toMatch(/^SIGNING_KEY=/);
      }
    }
  });

  it('gives each service and its database their own password file, users the signing key and the admin’s password, and nobody else any', async () => {
    const signingKey = await secretNamedBy('users', 'SIGNING_KEY_FILE');
    const adminPassword = await secretNamedBy('users', 'ADMIN_PASSWORD_FILE');
    expect(signingKey, 'SIGNING_KEY_FILE of users').toBeDefined();
    expect(adminPassword, 'ADMIN_PASSWORD_FILE of users').toBeDefined();
    expect(await secretFiles('users')).toEqual(['users_db_password', signingKey!, adminPassword!].sort());
    expect(await secretFiles('users-db')).toEqual(['users_db_password']);
    for (const name of ['products', 'orders'] as const) {
      expect(await secretFiles(name)).toEqual([`${name}_db_password`]);
      expect(await secretFiles(`${name}-db`)).toEqual([`${name}_db_password`]);
    }
    for (const name of ['nginx', 'api-gateway', 'redis'] as const) expect(await secretFiles(name), name).toEqual([]);
  });
});
