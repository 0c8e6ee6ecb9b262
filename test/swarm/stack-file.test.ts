import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../../bench/compose-project.js';
import { SECRETS } from '../../jobs/secrets/src/secrets-table.js';
import { DATA_SERVICES, NODE_SERVICES } from './swarm-env.js';

interface ServiceSpec {
  image?: string;
  command?: string[];
  networks?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  ports?: Array<{ mode?: string; target?: number | string; published?: number | string }>;
  secrets?: string[];
  profiles?: string[];
  deploy?: { resources?: { limits?: { memory?: string; cpus?: string; pids?: number }; reservations?: { memory?: string } } } & Record<string, unknown>;
  cap_drop?: string[];
  cap_add?: string[];
  read_only?: boolean;
  tmpfs?: string[];
  volumes?: Array<string | { type: string; target: string }>;
  pids_limit?: number;
  cpus?: number;
}
interface ComposeFile {
  services: Record<string, ServiceSpec & { configs?: Array<{ source: string; target: string }> }>;
  networks: Record<string, { internal?: boolean; driver_opts?: Record<string, string> }>;
  secrets?: Record<string, { external?: boolean; name?: string }>;
}

const read = (file: string) => parse(readFileSync(path.join(repoRoot(), file), 'utf8'), { merge: true }) as ComposeFile;
const compose = read('docker-compose.yml');
const stack = read('deploy/swarm/stack.yml');
// What deploy.sh adds to it with HTTPS_PORT set.
const https = read('deploy/swarm/stack.https.yml');
// Prometheus and the exporters: the compose file's services on the `monitoring` network,
// deployed from stack.monitoring.yml (below).
const monitoringServices = Object.keys(compose.services).filter((name) => compose.services[name]!.networks?.includes('monitoring'));
// Not the services behind a profile (the seed, the labs): `docker compose up` starts none;
// nor the secrets job, whose work deploy.sh does before deploying.
const composeServices = Object.keys(compose.services).filter(
  (name) => compose.services[name]!.profiles === undefined && name !== 'secrets' && !monitoringServices.includes(name),
);

/** The settings of a service, less how its database password reaches it. */
function settings(spec: ServiceSpec): string[] {
  return Object.keys(spec.environment ?? {}).filter((key) => !/PASSWORD/.test(key)).sort();
}

// The stack file is a file of its own (see its head), so these keep it in step.
describe('deploy/swarm/stack.yml, beside docker-compose.yml', () => {
  it('has the same services, on the same networks, with the same checks and settings', () => {
    expect(Object.keys(stack.services).sort()).toEqual(composeServices.sort());
    for (const name of composeServices) {
      const [ours, theirs] = [stack.services[name]!, compose.services[name]!];
      expect(ours.networks, name).toEqual(theirs.networks);
      expect(ours.healthcheck?.test, name).toEqual(theirs.healthcheck?.test);
      expect(settings(ours), name).toEqual(settings(theirs));
      if (theirs.image) expect(ours.image, name).toBe(theirs.image);
      if (theirs.command) expect(ours.command, name).toEqual(theirs.command);
    }
    // The networks those services use (a lab may bring its own), internal or not alike.
    const used = new Set(composeServices.flatMap((name) => compose.services[name]!.networks ?? []));
    const internal = (file: ComposeFile) =>
      Object.fromEntries(Object.entries(file.networks).filter(([name]) => used.has(name)).map(([name, spec]) => [name, spec.internal === true]));
    expect(Object.keys(stack.networks).sort()).toEqual([...used].sort());
    expect(internal(stack)).toEqual(internal(compose));
  });

  it('drops the same capabilities, adds back the same, and has the same read-only filesystems, tmpfs and limits', () => {
    const tmpfs = (spec: ServiceSpec) =>
      (spec.volumes ?? []).flatMap((volume) => (typeof volume === 'object' && volume.type === 'tmpfs' ? [volume.target] : [])).sort();
    for (const name of composeServices) {
      const [ours, theirs] = [stack.services[name]!, compose.services[name]!];
      expect(ours.cap_drop, name).toEqual(['ALL']);
      expect([ours.cap_drop, ours.cap_add, ours.read_only], name).toEqual([theirs.cap_drop, theirs.cap_add, theirs.read_only]);
      expect(tmpfs(ours), name).toEqual([...(theirs.tmpfs ?? [])].sort());
      const limits = ours.deploy?.resources?.limits;
      expect({ pids: limits?.pids, cpus: Number(limits?.cpus) }, name).toEqual({ pids: theirs.pids_limit, cpus: theirs.cpus });
    }
    for (const [name, spec] of Object.entries(stack.networks)) expect(spec.driver_opts, name).toEqual({ encrypted: 'true' });
  });

  it('holds no password: databases and services get theirs as secret files', () => {
    for (const [name, spec] of Object.entries(stack.services)) {
      for (const [key, value] of Object.entries(spec.environment ?? {})) {
        expect(key, name).not.toMatch(/PASSWORD$/);
        expect(String(value), `${name} ${key}`).not.toMatch(/\/\/[^/@]*:[^/@]*@/);
      }
    }
    // Each service the secrets of its folder in Compose (jobs/secrets/src/secrets-table.ts),
    // users also the key that signs access tokens; nginx its certificate with HTTPS only.
    for (const name of Object.keys(stack.services)) {
      const own = SECRETS.filter((secret) => secret.to.includes(name) && secret.make !== 'certificate').map((secret) => secret.name);
      expect([...(stack.services[name]!.secrets ?? [])].sort(), name).toEqual([...own, ...(name === 'users' ? ['signing_key'] : [])].sort());
      for (const secret of stack.services[name]!.secrets ?? []) expect(stack.secrets?.[secret], secret).toEqual({ external: true, name: `\${SECRETS_PREFIX:-shopstack}_${secret}` });
    }
    for (const name of ['users', 'products', 'orders']) {
      expect(stack.services[name]!.environment).toMatchObject({ DATABASE_PASSWORD_FILE: `/run/secrets/${name}_db_password` });
      expect(stack.services[`${name}-db`]!.environment).toMatchObject({ POSTGRES_PASSWORD_FILE: `/run/secrets/${name}_db_password` });
    }
    // The same Redis user, database URL and secret files as in Compose.
    for (const name of NODE_SERVICES) {
      const access = Object.entries(compose.services[name]!.environment!).filter(([key]) => /^(REDIS|DATABASE)_/.test(key));
      expect(stack.services[name]!.environment, name).toMatchObject(Object.fromEntries(access));
    }
  });

  it('needs no IPVS: DNS round robin for every service, nginx on a host-mode port', () => {
    for (const [name, spec] of Object.entries(stack.services)) {
      expect(spec.deploy?.['endpoint_mode'], name).toBe('dnsrr');
      for (const port of spec.ports ?? []) expect(port.mode, name).toBe('host');
    }
    for (const [name, spec] of Object.entries(https.services)) for (const port of spec.ports ?? []) expect(port.mode, name).toBe('host');
  });

  it('turns HTTPS on with stack.https.yml as the compose file does with HTTPS_PORT, the certificate a secret of nginx alone', () => {
    // Settings the compose file and stack.yml already have, set as compose sets them with HTTPS_PORT.
    expect(Object.keys(https.services).sort()).toEqual(['nginx', 'users']);
    for (const [name, spec] of Object.entries(https.services)) {
      for (const key of settings(spec)) {
        expect(settings(stack.services[name]!), `${name} ${key}`).toContain(key);
        expect(settings(compose.services[name]!), `${name} ${key}`).toContain(key);
      }
    }
    const nginx = https.services['nginx']!;
    expect(nginx.environment).toEqual({ HTTPS_PORT: '${HTTPS_PORT}', TLS_CERT_FILE: '/run/secrets/tls_cert', TLS_KEY_FILE: '/run/secrets/tls_key' });
    expect(compose.services['nginx']!.environment).toMatchObject({ HTTPS_PORT: '${HTTPS_PORT:-}' });
    // The same port inside and out, as in the compose file: nginx's redirects name it.
    expect(nginx.ports).toEqual([{ target: expect.stringMatching(/^\$\{HTTPS_PORT[:}]/), published: '${HTTPS_PORT}', protocol: 'tcp', mode: 'host' }]);
    expect(nginx.secrets).toEqual(['tls_cert', 'tls_key']);
    expect(https.services['users']!.secrets).toBeUndefined();
    expect(https.secrets).toEqual({
      tls_cert: { external: true, name: '${SECRETS_PREFIX:-shopstack}_tls_cert' },
      tls_key: { external: true, name: '${SECRETS_PREFIX:-shopstack}_tls_key' },
    });
    // users' cookie: COOKIE_SECURE if set, else true, as compose resolves it with HTTPS_PORT set.
    const cookie = compose.services['users']!.environment!['COOKIE_SECURE']!.replace('${HTTPS_PORT:+true}', 'true');
    expect(https.services['users']!.environment).toEqual({ COOKIE_SECURE: cookie });
  });

  it('deploys every service with replicas or placement, rolling updates that roll back, restarts and resources', () => {
    for (const [name, spec] of Object.entries(stack.services)) {
      const deploy = spec.deploy!;
      expect(deploy['update_config'], name).toMatchObject({ failure_action: 'rollback', monitor: expect.any(String) });
      expect(deploy['rollback_config'], name).toBeDefined();
      expect(deploy['restart_policy'], name).toMatchObject({ condition: 'any' });
      expect(deploy.resources?.limits?.memory, name).toBeDefined();
      expect(deploy.resources?.reservations?.memory, name).toBeDefined();
    }
    for (const name of NODE_SERVICES) {
      expect(stack.services[name]!.deploy, name).toMatchObject({ replicas: 2, update_config: { order: 'start-first' } });
    }
    for (const name of DATA_SERVICES) {
      expect(stack.services[name]!.deploy, name).toMatchObject({
        replicas: 1,
        placement: { constraints: ['node.labels.shopstack.data == true'] },
        // Two databases must never share one data folder, even for a moment.
        update_config: { order: 'stop-first' },
      });
    }
  });
});

// The compose file's Monitoring block is a file of its own here, which deploy.sh adds unless
// MONITORING=0.
describe('deploy/swarm/stack.monitoring.yml, beside the compose file’s Monitoring block', () => {
  const monitoring = read('deploy/swarm/stack.monitoring.yml');
  const profile = monitoringServices;
  /** What it adds to stack.yml's services: the databases' role script, nothing else. */
  const added = Object.keys(monitoring.services).filter((name) => stack.services[name] !== undefined);

  it('has the same services, on the same networks, with the same images, checks, settings, privileges and limits', () => {
    expect(Object.keys(monitoring.services).filter((name) => !added.includes(name)).sort()).toEqual(profile.sort());
    for (const name of profile) {
      const [ours, theirs] = [monitoring.services[name]!, compose.services[name]!];
      expect(ours.networks, name).toEqual(theirs.networks);
      expect([ours.image, ours.command, ours.healthcheck?.test], name).toEqual([theirs.image, theirs.command, theirs.healthcheck?.test]);
      expect(settings(ours), name).toEqual(settings(theirs));
      expect([ours.cap_drop, ours.cap_add, ours.read_only], name).toEqual([['ALL'], theirs.cap_add, true]);
      const limits = ours.deploy?.resources?.limits;
      expect({ pids: limits?.pids, cpus: Number(limits?.cpus) }, name).toEqual({ pids: theirs.pids_limit, cpus: theirs.cpus });
      expect(ours.deploy?.['endpoint_mode'], name).toBe('dnsrr');
      expect(ours.ports, name).toBeUndefined();
    }
    for (const [name, spec] of Object.entries(monitoring.networks)) expect([spec.driver_opts, spec.internal], name).toEqual([{ encrypted: 'true' }, true]);
    // The gateway reads Prometheus by name: they share a network.
    expect(monitoring.services['prometheus']!.networks).toEqual(expect.arrayContaining(stack.services['api-gateway']!.networks!.filter((n) => n === 'backend')));
  });

  it('gives each exporter, as a secret, the file it reads in Compose, at the same path', () => {
    for (const name of profile) {
      const files = Object.entries(monitoring.services[name]!.environment ?? {}).filter(([key]) => key.endsWith('_FILE'));
      expect(files, name).toEqual(Object.entries(compose.services[name]!.environment ?? {}).filter(([key]) => key.endsWith('_FILE')));
      const made = SECRETS.filter((secret) => secret.to.includes(name)).map((secret) => secret.name);
      for (const secret of monitoring.services[name]!.secrets ?? []) {
        expect(made, `${name} ${secret}`).toContain(secret);
        expect(monitoring.secrets?.[secret] ?? stack.secrets?.[secret], secret).toEqual({ external: true, name: `\${SECRETS_PREFIX:-shopstack}_${secret}` });
      }
      for (const [key, file] of files) expect(monitoring.services[name]!.secrets, `${name} ${key}`).toContain(file.replace('/run/secrets/', ''));
    }
    expect(monitoring.services['redis-exporter']!.environment).toMatchObject({ REDIS_USER: 'exporter', REDIS_PASSWORD_FILE: '/run/secrets/redis_exporter_auth' });
  });

  it('adds the monitor role’s script to each database, which stack.yml already gives its password', () => {
    expect(added.sort()).toEqual(['orders-db', 'products-db', 'users-db']);
    for (const name of added) {
      expect(Object.keys(monitoring.services[name]!).sort(), name).toEqual(['configs']);
      expect(monitoring.services[name]!.configs).toEqual([expect.objectContaining({ source: 'monitor_role', target: '/docker-entrypoint-initdb.d/20-monitor-role.sh' })]);
      expect(stack.services[name]!.secrets, name).toContain(`${name.replace('-db', '')}_db_monitor_password`);
    }
  });
});
