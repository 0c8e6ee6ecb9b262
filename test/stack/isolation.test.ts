import { describe, expect, inject, it } from 'vitest';
import { compose, docker, exec, inspect, passwordsOf, secretsByFolder } from './stack.js';
import { ALL_SERVICES, NETWORKS_OF, NODE_SERVICES, WITHOUT_SHELL, type Service } from './stack-env.js';

const network = (name: string) => `${inject('stack').projectName}_${name}`;

/** A container's address on one of the project's networks. */
const addressOn = (service: Service, name: string) => inspect(service, `{{(index .NetworkSettings.Networks "${network(name)}").IPAddress}}`);

/** Whether a name resolves from inside a Node container (node is there; ping and nslookup may not be). */
async function resolves(from: Service, name: string): Promise<boolean> {
  const lookup = await exec(from, ['node', '-e', `require('node:dns').lookup(${JSON.stringify(name)}, (error) => process.exit(error ? 1 : 0))`]);
  return lookup.code === 0;
}

const DATABASES = { users: 'users-db', products: 'products-db', orders: 'orders-db' } as const;

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

  it('makes every network but public internal, and puts each container only where it must be', async () => {
    for (const name of ['backend', 'users-data', 'products-data', 'orders-data', 'monitoring']) {
      expect((await docker('network', 'inspect', '-f', '{{.Internal}}', network(name))).trim(), name).toBe('true');
    }
    expect((await docker('network', 'inspect', '-f', '{{.Internal}}', network('public'))).trim()).toBe('false');
    for (const service of ALL_SERVICES) {
      const names = (await inspect(service, '{{range $name, $_ := .NetworkSettings.Networks}}{{$name}} {{end}}')).trim().split(' ').sort();
      expect(names, service).toEqual(NETWORKS_OF[service].map(network));
    }
  });

  it('lets nginx resolve the gateway and nothing behind it', async () => {
    expect((await exec('nginx', ['nslookup', 'api-gateway'])).code).toBe(0);
    for (const name of ['users', 'products', 'orders', 'users-db', 'products-db', 'orders-db', 'redis']) {
      expect((await exec('nginx', ['nslookup', name])).code, `nginx resolved ${name}`).not.toBe(0);
    }
  });

  it('keeps the databases, Redis and the services out of nginx’s reach even by address', async () => {
    const targets = [['users-db', 'users-data', 5432], ['orders-db', 'orders-data', 5432], ['redis', 'backend', 6379], ['products', 'backend', 3000]] as const;
    for (const [service, on, port] of targets) {
      const address = await addressOn(service, on);
      expect(address).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      const probe = await exec('nginx', ['nc', '-z', '-w', '2', address, String(port)]);
      expect(probe.code, `nginx reached ${service} at ${address}:${port}`).not.toBe(0);
    }
  });

  it('lets each service resolve its own database and no other; the gateway none', async () => {
    for (const [service, own] of Object.entries(DATABASES) as Array<[keyof typeof DATABASES, string]>) {
      expect(await resolves(service, own), `${service} → ${own}`).toBe(true);
      for (const other of Object.values(DATABASES).filter((name) => name !== own)) {
        expect(await resolves(service, other), `${service} resolved ${other}`).toBe(false);
      }
      expect(await resolves(service, 'redis')).toBe(true);
    }
    for (const database of Object.values(DATABASES)) expect(await resolves('api-gateway', database), database).toBe(false);
  });

  it('keeps each service from another service’s database even by address', async () => {
    const products = await addressOn('products-db', 'products-data');
    for (const service of ['users', 'orders', 'api-gateway'] as const) {
      const probe = await exec(service, [
        'node',
        '-e',
        `const s = require('node:net').connect(5432, '${products}', () => process.exit(0));
         s.setTimeout(2000, () => process.exit(1)); s.on('error', () => process.exit(1));`,
      ]);
      expect(probe.code, `${service} reached products-db at ${products}`).not.toBe(0);
    }
    expect((await exec('products', ['node', '-e', `require('node:net').connect(5432, '${products}', () => process.exit(0))`])).code).toBe(0);
  });

  it('hands each container its own secrets as files and no other’s, neither in its environment nor in its files', async () => {
    const secrets = await secretsByFolder();
    // nginx-exporter has no secret, and no shell to look with (test/stack/secrets.test.ts checks its mounts).
    for (const service of ALL_SERVICES.filter((name) => !WITHOUT_SHELL.has(name))) {
      const own = secrets[service] ?? {};
      const listing = (await exec(service, ['sh', '-c', 'ls /run/secrets 2>/dev/null || true'])).output.split('\n').filter(Boolean).sort();
      expect(listing, `${service}'s /run/secrets`).toEqual(Object.keys(own).sort());
      // Others' passwords (a password two containers share, such as a database's, is own to both).
      const others = Object.entries(secrets)
        .filter(([folder]) => folder !== service)
        .flatMap(([, folder]) => passwordsOf(folder))
        .filter((value) => !passwordsOf(own).includes(value));
      const environment = await inspect(service, '{{range .Config.Env}}{{println .}}{{end}}');
      for (const password of [...others, ...passwordsOf(own)]) expect(environment, `${service}'s environment holds a password`).not.toContain(password);
      // Where configuration or a mounted secret could land: nobody else's password in any file.
      const places = '/app /etc /run /tmp /home /data /var/lib/postgresql';
      const patterns = others.map((value) => `-e '${value}'`).join(' ');
      const files = await exec(service, ['sh', '-c', `grep -rIlF ${patterns} ${places} 2>/dev/null || true`]);
      expect(files.output.trim(), `${service}'s files hold another container's password`).toBe('');
    }
  });

  it('lets the gateway reach Redis (which asks who it is: no default user) and the services', async () => {
    const ping = await exec('api-gateway', [
      'node',
      '-e',
      `const s = require('node:net').connect(6379, 'redis', () => s.write('PING\\r\\n'));
       s.on('data', (d) => { process.stdout.write(String(d)); process.exit(0); });
       s.on('error', () => process.exit(1));`,
    ]);
    expect(ping.output).toContain('-NOAUTH');
    const users = await exec('api-gateway', ['wget', '-qO-', 'http://users:3000/health']);
    expect(users.output).toContain('"ok"');
    expect(await compose('config', '--services')).toContain('users-db');
  });

  it('lets Prometheus resolve the services and the exporters, and no database', async () => {
    const nslookup = async (from: Service, name: string) => (await exec(from, ['nslookup', name])).code === 0;
    for (const name of [...NODE_SERVICES, 'nginx-exporter', 'redis-exporter', 'users-db-exporter', 'products-db-exporter', 'orders-db-exporter']) {
      expect(await nslookup('prometheus', name), `prometheus → ${name}`).toBe(true);
    }
    // On backend beside the services, it resolves Redis too: it holds no Redis password, and
    // Redis lets no one in without one (above); it reads Redis through redis-exporter.
    expect(await nslookup('prometheus', 'redis')).toBe(true);
    for (const database of Object.values(DATABASES)) expect(await nslookup('prometheus', database), `prometheus resolved ${database}`).toBe(false);
    const users = await addressOn('users-db', 'users-data');
    expect((await exec('prometheus', ['nc', '-z', '-w', '2', users, '5432'])).code, `prometheus reached users-db at ${users}`).not.toBe(0);
  });

  it('lets each exporter resolve the one thing it reads, and no other data store', async () => {
    const nslookup = async (from: Service, name: string) => (await exec(from, ['nslookup', name])).code === 0;
    const stores = [...Object.values(DATABASES), 'redis'];
    // nginx-exporter (no shell: its networks, above, hold no data store) reads nginx.
    const reads = { 'redis-exporter': 'redis', 'users-db-exporter': 'users-db', 'products-db-exporter': 'products-db', 'orders-db-exporter': 'orders-db' } as const;
    for (const [exporter, own] of Object.entries(reads) as Array<[keyof typeof reads, string]>) {
      expect(await nslookup(exporter, own), `${exporter} → ${own}`).toBe(true);
      for (const other of stores.filter((name) => name !== own)) expect(await nslookup(exporter, other), `${exporter} resolved ${other}`).toBe(false);
      expect(await nslookup(exporter, 'nginx'), `${exporter} resolved nginx`).toBe(false);
    }
    // The databases' exporters see no service but the database's own (which shares its network).
    expect(await nslookup('users-db-exporter', 'products')).toBe(false);
    expect(await nslookup('orders-db-exporter', 'api-gateway')).toBe(false);
    // The gateway resolves none of the databases' exporters (redis-exporter is on backend, beside it).
    for (const exporter of ['users-db-exporter', 'products-db-exporter', 'orders-db-exporter']) expect(await resolves('api-gateway', exporter), exporter).toBe(false);
  });
});
