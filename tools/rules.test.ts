import { beforeAll, describe, expect, it } from 'vitest';
import { readBuildFiles } from './build-files.js';
import { loadComposeModel, type ComposeModel } from './compose-model.js';
import { checkRules, type BuildFiles } from './rules.js';

// The real compose file and Dockerfiles pass every rule; each "break it" exercise of
// docs/cours.md, applied to a copy, breaks the rule it is about.
let model: ComposeModel;
let files: BuildFiles;

beforeAll(async () => {
  model = await loadComposeModel();
  files = readBuildFiles(model);
});

const copy = <T>(value: T): T => structuredClone(value);
const broken = (m: ComposeModel, f: BuildFiles = files) =>
  checkRules(m, f).filter((result) => result.failures.length).map((result) => ({ rule: result.rule, failures: result.failures }));

describe('the exercises checker', () => {
  it('finds nothing wrong with the repository as it is', () => {
    expect(broken(model)).toEqual([]);
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
    m.services['redis']!.command = ['redis-server'];
    const f = copy(files);
    f.dockerfiles['Dockerfile'] = f.dockerfiles['Dockerfile']!.replace(/^USER node$/m, '');
    expect(broken(m, f).flatMap((result) => result.failures)).toEqual(['redis runs without --appendonly yes', 'Dockerfile: the last stage runs as root']);
  });
});
