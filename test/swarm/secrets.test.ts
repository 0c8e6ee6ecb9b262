import { describe, expect, it } from 'vitest';
import { containers, docker, serviceInspect } from './swarm.js';
import { ALL_SERVICES, type Service } from './swarm-env.js';

/** What a service's container finds under /run/secrets (nothing: an empty list). */
async function secretFiles(service: Service): Promise<string[]> {
  const [id] = await containers(service);
  const listing = await docker('exec', id!, 'sh', '-c', 'ls /run/secrets 2>/dev/null || true');
  return listing.split('\n').filter(Boolean).sort();
}

describe('database passwords as Swarm secrets', () => {
  it('shows no password in any service definition', async () => {
    for (const service of ALL_SERVICES) {
      const env = JSON.parse(await serviceInspect(service, '{{json .Spec.TaskTemplate.ContainerSpec.Env}}')) as string[] | null;
      for (const entry of env ?? []) {
        expect(entry, service).not.toMatch(/^[A-Z_]*PASSWORD=/);
        expect(entry, service).not.toMatch(/\/\/[^/@]*:[^/@]*@/);
      }
    }
  });

  it('gives each service and its database their own password file, and nobody else any', async () => {
    for (const name of ['users', 'products', 'orders'] as const) {
      expect(await secretFiles(name)).toEqual([`${name}_db_password`]);
      expect(await secretFiles(`${name}-db`)).toEqual([`${name}_db_password`]);
    }
    for (const name of ['nginx', 'api-gateway', 'redis'] as const) expect(await secretFiles(name), name).toEqual([]);
  });
});
