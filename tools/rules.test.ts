import { beforeAll, describe, expect, it } from 'vitest';
import { readBuildFiles } from './build-files.js';
import { loadComposeModel, type ComposeModel } from './compose-model.js';
import { checkRules, type BuildFiles } from './rules.js';

// The real compose file and Dockerfiles pass every rule; each "break it" exercise of
// docs/cours.md, applied to a copy, breaks the rule it is about.
let model: ComposeModel;
let files: BuildFiles;

beforeAll(async () => {
  model = await loadComposeModel({ allProfiles: true });
  files = readBuildFiles(model);
});

const copy = <T>(value: T): T => structuredClone(value);
/** What a change breaks, beyond what the repository itself breaks (nothing: the first test). */
const broken = (m: ComposeModel, f: BuildFiles = files) => {
  const before = new Set(checkRules(model, files).flatMap((result) => result.failures));
  return checkRules(m, f)
    .map((result) => ({ rule: result.rule, failures: result.failures.filter((failure) => !before.has(failure)) }))
    .filter((result) => result.failures.length);
};

describe('the exercises checker', () => {
  it('finds nothing wrong with the repository as it is', () => {
    expect(checkRules(model, files).filter((result) => result.failures.length)).toEqual([]);
    expect(Object.keys(files.dockerfiles).sort()).toEqual(['Dockerfile', 'nginx/Dockerfile']);
    expect(Object.keys(files.dockerignores).sort()).toEqual(['.dockerignore', 'nginx/Dockerfile.dockerignore']);
  });

  it('notices a data network that is no longer internal', () => {
    const m = copy(model);
    delete m.networks['users-data']!.internal;
    expect(broken(m)).toEqual([{ rule: 'every network a database or Redis is on is internal', failures: ['users-db is on users-data, which is not internal'] }]);
  });

  it('notices nginx or another service on a database network', () => {
    const m = copy(model);
    m.services['nginx']!.networks = { public: null, 'orders-data': null };
    m.services['products']!.networks = { backend: null, 'products-data': null, 'users-data': null };
    expect(broken(m)[0]!.failures.sort()).toEqual(['nginx can reach orders-db', 'products can reach users-db']);
  });

  it('notices a dependency on a database that waits only for it to start', () => {
    const m = copy(model);
    m.services['users']!.depends_on!['users-db']!.condition = 'service_started';
    expect(broken(m)).toEqual([{ rule: 'a service starts once its database and Redis are healthy, not merely started', failures: ['users waits for users-db with service_started'] }]);
  });

  it('notices a healthcheck removed or disabled, and a published database port', () => {
    const m = copy(model);
    delete m.services['redis']!.healthcheck;
    m.services['products-db']!.healthcheck = { test: ['NONE'], disable: true };
    m.services['orders-db']!.ports = [{ target: 5432, published: '5432' }];
    expect(broken(m).flatMap((result) => result.failures).sort()).toEqual([
      'orders-db publishes 5432:5432',
      'products-db has no healthcheck',
      'redis has no healthcheck',
    ]);
  });

  it('holds Prometheus and the exporters to the same, but for a healthcheck in an image FROM scratch', () => {
    const m = copy(model);
    delete m.services['redis-exporter']!.healthcheck;
    m.services['prometheus']!.ports = [{ target: 9090, published: '9090' }];
    expect(broken(m).flatMap((result) => result.failures).sort()).toEqual(['prometheus publishes 9090:9090', 'redis-exporter has no healthcheck']);
    expect(m.services['nginx-exporter']!.healthcheck?.test).toBeUndefined();
    m.services['nginx-exporter']!.image = 'alpine:3.22';
    expect(broken(m).flatMap((result) => result.failures)).toContain('nginx-exporter has no healthcheck');
  });

  it('notices a password baked into an image, or passed to the wrong service', () => {
    const f = copy(files);
    f.dockerfiles['Dockerfile'] += '\nENV DB_PASSWORD=users-demo-password\n';
    const m = copy(model);
    m.services['api-gateway']!.volumes!.find((volume) => volume.source === 'secrets')!.volume!.subpath = 'users';
    expect(broken(m, f).flatMap((result) => result.failures)).toEqual([
      'api-gateway mounts the secrets of users',
      'Dockerfile: ENV DB_PASSWORD=users-demo-password',
    ]);
  });

  it('notices a .dockerignore that lets node_modules, .git or .env in', () => {
    const f = copy(files);
    f.dockerignores['.dockerignore'] = f.dockerignores['.dockerignore']!.replace('**/node_modules\n', '').replace('.env\n', '');
    f.dockerignores['nginx/Dockerfile.dockerignore'] = f.dockerignores['nginx/Dockerfile.dockerignore']!.replace('console/node_modules\n', '');
    expect(broken(model, f).flatMap((result) => result.failures)).toEqual([
      '.dockerignore lets node_modules into the build',
      '.dockerignore lets .env into the build',
      'nginx/Dockerfile.dockerignore lets console/node_modules into the build',
    ]);
  });

  it('notices Redis without its append-only file, and an image that runs as root', () => {
    const m = copy(model);
    m.services['redis']!.command = m.services['redis']!.command!.filter((arg) => arg !== '--appendonly' && arg !== 'yes');
    const f = copy(files);
    f.dockerfiles['Dockerfile'] = f.dockerfiles['Dockerfile']!.replace(/^USER node$/m, '');
    expect(broken(m, f).flatMap((result) => result.failures)).toEqual(['redis runs without --appendonly yes', 'Dockerfile: the last stage runs as root']);
  });

  it('notices a container that keeps Docker’s default capabilities or may gain privileges', () => {
    const m = copy(model);
    delete m.services['redis']!.cap_drop;
    m.services['nginx']!.cap_drop = ['NET_RAW'];
    m.services['echo']!.security_opt = [];
    expect(broken(m).filter(({ rule }) => rule.includes('capabilities'))).toEqual([
      {
        rule: 'every container drops all capabilities and cannot gain privileges',
        failures: ['echo may gain privileges (no no-new-privileges)', "nginx keeps Docker's default capabilities", "redis keeps Docker's default capabilities"],
      },
    ]);
  });

  it('notices a secret in an environment, by its name or as a URL’s password, and lets *_FILE paths and durations be', () => {
    const m = withoutSecrets(model);
    const rule = (n: ComposeModel) => checkRules(n, files).find((result) => result.rule.startsWith('no secret in any environment'))!;
    expect(rule(m).failures).toEqual([]);
    Object.assign(m.services['api-gateway']!.environment!, {
      PAYMENT_API_KEY: 'k',
      SESSION_SECRET: null,
      GITHUB_TOKEN: '',
      REDIS_URL: 'redis://gateway:gateway-password@redis:6379',
      REFRESH_TOKEN_TTL_SECONDS: '900',
      SIGNING_KEY_FILE: '/run/secrets/signing_key',
    });
    m.services['users-db']!.environment!['POSTGRES_PASSWORD'] = 'users-demo-password';
    expect(rule(m).failures).toEqual([
      'api-gateway: REDIS_URL (a URL with a password) in the environment',
      'api-gateway: PAYMENT_API_KEY in the environment',
      'api-gateway: SESSION_SECRET in the environment',
      'api-gateway: GITHUB_TOKEN in the environment',
      'users-db: POSTGRES_PASSWORD in the environment',
    ]);
  });

  it('notices Redis that lets any client in: no ACL file, or a config file it does not mount', () => {
    const m = withoutSecrets(model);
    const failures = (n: ComposeModel) => checkRules(n, files).find((result) => result.rule.startsWith('Redis lets no client in'))!.failures;
    expect(failures(m)).toEqual([]);
    m.services['redis']!.command = ['redis-server', '--appendonly', 'yes'];
    expect(failures(m)).toEqual(['redis answers any client (no --aclfile, no config file)']);
    m.services['redis']!.command = ['redis-server', '/usr/local/etc/redis/redis.conf'];
    expect(failures(m)).toEqual(['redis answers any client (no --aclfile, no config file)']);
    m.services['redis']!.volumes!.push({ type: 'bind', source: './redis/redis.conf', target: '/usr/local/etc/redis/redis.conf' });
    expect(failures(m)).toEqual([]);
  });
});

/**
 * The model with its secrets as files and Redis behind an ACL file, whatever the compose
 * file does today: the two rules above are checked against it, not against the repository.
 */
function withoutSecrets(original: ComposeModel): ComposeModel {
  const m = copy(original);
  for (const service of Object.values(m.services)) {
    service.environment = Object.fromEntries(
      Object.entries(service.environment ?? {}).map(([key, value]) =>
        /PASSWORD|SECRET|_KEY$/.test(key) && !key.endsWith('_FILE') ? [`${key}_FILE`, `/run/secrets/${key.toLowerCase()}`] : [key, value?.replace(/\/\/([^/@:]+):[^/@]+@/, '//$1@') ?? null],
      ),
    );
  }
  const redis = m.services['redis']!;
  if (!redis.command?.includes('--aclfile')) redis.command = [...(redis.command ?? ['redis-server']), '--aclfile', '/run/redis/users.acl'];
  return m;
}
