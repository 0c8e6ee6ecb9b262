import { describe, expect, it } from 'vitest';
import { containers, docker, serviceInspect } from './swarm.js';
import { SECRETS } from '../../jobs/secrets/src/secrets-table.js';
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

describe('passwords, Redis’s users and the signing key as Swarm secrets', () => {
  it('shows no password in any service definition, nor in any task’s container (Config.Env)', async () => {
    for (const service of ALL_SERVICES) {
      const tasks = await containers(service);
      expect(tasks.length, service).toBeGreaterThan(0);
      const inContainers = (await docker('inspect', '--format', '{{json .Config.Env}}', ...tasks)).trim().split('\n').flatMap((line) => JSON.parse(line) as string[]);
      for (const entry of [...(await environmentOf(service)), ...inContainers]) {
        expect(entry, service).not.toMatch(/^[A-Z_]*PASSWORD=/);
        expect(entry, service).not.toMatch(/\/\/[^/@]*:[^/@]*@/);
        expect(entry, service).not.toMatch(/^SIGNING_KEY=/);
        expect(entry, service).not.toMatch(/^[A-Z_]*(SECRET|TOKEN|KEY)=./);
      }
    }
  });

  it('gives each service the secrets its Compose folder holds, users also the signing key, and nobody else’s', async () => {
    const signingKey = await secretNamedBy('users', 'SIGNING_KEY_FILE');
    const adminPassword = await secretNamedBy('users', 'ADMIN_PASSWORD_FILE');
    expect(signingKey, 'SIGNING_KEY_FILE of users').toBeDefined();
    expect(adminPassword, 'ADMIN_PASSWORD_FILE of users').toBeDefined();
    for (const service of ALL_SERVICES) {
      // As the secrets job lays them out for Compose; nginx's certificate only with HTTPS (https.test.ts).
      const own = SECRETS.filter((secret) => secret.to.includes(service) && secret.make !== 'certificate').map((secret) => secret.name);
      expect(await secretFiles(service), service).toEqual([...own, ...(service === 'users' ? [signingKey!] : [])].sort());
    }
  });

  it('keeps users to its own Redis keys and commands (NOPERM), as in Compose', async () => {
    const [id] = await containers('users');
    const script = `const { createClient } = require('@redis/client');
      const password = require('node:fs').readFileSync(process.env.REDIS_PASSWORD_FILE, 'utf8');
      const client = createClient({ url: 'redis://redis:6379', username: process.env.REDIS_USERNAME, password });
      (async () => {
        await client.connect();
        for (const command of [['GET', 'products:product:1'], ['FLUSHALL'], ['SET', 'users:acl-test', '1', 'PX', '1000']]) {
          try { console.log(String(await client.sendCommand(command))); } catch (error) { console.log(error.message); }
        }
        await client.close();
      })();`;
    const [productKey, flush, own] = (await docker('exec', id!, 'node', '-e', script)).trim().split('\n');
    expect(productKey).toMatch(/^NOPERM .*keys/);
    expect(flush).toMatch(/^NOPERM .*command/);
    expect(own).toBe('OK');
  });
});
