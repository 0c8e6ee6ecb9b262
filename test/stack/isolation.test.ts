import { describe, expect, it } from 'vitest';
import { compose, docker, exec, inspect } from './stack.js';
import { ALL_SERVICES, type Service } from './stack-env.js';

const backendAddress = async (service: Service) => {
  const { projectName } = await import('vitest').then(({ inject }) => inject('stack'));
  return inspect(service, `{{(index .NetworkSettings.Networks "${projectName}_backend").IPAddress}}`);
};

describe('network isolation', () => {
  it('publishes a host port for nginx and for nothing else', async () => {
    const published: Record<string, number> = {};
    for (const service of ALL_SERVICES) {
      const ports = await inspect(service, '{{json .NetworkSettings.Ports}}');
      const bindings = Object.values(JSON.parse(ports) as Record<string, Array<{ HostPort: string }> | null>).flatMap((b) => b ?? []);
      published[service] = bindings.length;
    }
    const { nginx, ...rest } = published;
    expect(nginx).toBeGreaterThan(0);
    expect(Object.values(rest).every((count) => count === 0), JSON.stringify(rest)).toBe(true);
  });

  it('makes the backend network internal, with nginx outside it', async () => {
    const { projectName } = await import('vitest').then(({ inject }) => inject('stack'));
    expect((await docker('network', 'inspect', '-f', '{{.Internal}}', `${projectName}_backend`)).trim()).toBe('true');
    expect((await docker('network', 'inspect', '-f', '{{.Internal}}', `${projectName}_public`)).trim()).toBe('false');
    const nginxNetworks = await inspect('nginx', '{{range $name, $_ := .NetworkSettings.Networks}}{{$name}} {{end}}');
    expect(nginxNetworks.trim()).toBe(`${projectName}_public`);
  });

  it('lets nginx resolve the gateway and nothing behind it', async () => {
    expect((await exec('nginx', ['nslookup', 'api-gateway'])).code).toBe(0);
    for (const name of ['users', 'products', 'orders', 'users-db', 'products-db', 'orders-db', 'redis']) {
      expect((await exec('nginx', ['nslookup', name])).code, `nginx resolved ${name}`).not.toBe(0);
    }
  });

  it('keeps the databases and services out of nginx’s reach even by address', async () => {
    for (const [service, port] of [['users-db', 5432], ['orders-db', 5432], ['redis', 6379], ['products', 3000]] as const) {
      const address = await backendAddress(service);
      expect(address).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      const probe = await exec('nginx', ['nc', '-z', '-w', '2', address, String(port)]);
      expect(probe.code, `nginx reached ${service} at ${address}:${port}`).not.toBe(0);
    }
  });

  it('lets the gateway reach Redis and the services', async () => {
    const ping = await exec('api-gateway', [
      'node',
      '-e',
      `const s = require('node:net').connect(6379, 'redis', () => s.write('PING\\r\\n'));
       s.on('data', (d) => { process.stdout.write(String(d)); process.exit(0); });
       s.on('error', () => process.exit(1));`,
    ]);
    expect(ping.output).toContain('+PONG');
    const users = await exec('api-gateway', ['wget', '-qO-', 'http://users:3000/health']);
    expect(users.output).toContain('"ok"');
  });

  it('keeps the services off the public network', async () => {
    const { projectName } = await import('vitest').then(({ inject }) => inject('stack'));
    const members = await docker('network', 'inspect', '-f', '{{range .Containers}}{{.Name}} {{end}}', `${projectName}_public`);
    const names = members.trim().split(/\s+/).sort();
    expect(names).toEqual([`${projectName}-api-gateway-1`, `${projectName}-nginx-1`]);
    expect(await compose('config', '--services')).toContain('users-db');
  });
});
