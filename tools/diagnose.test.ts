import { describe, expect, it } from 'vitest';
import { atLeast, diagnose } from './diagnose.js';
import { HEALTHY, NETWORKS_OF as NETWORKS, type Service } from '../test/stack/stack-env.js';
import { expectedServices, type ComposeModel } from './compose-model.js';
import type { ContainerFacts, StackFacts } from './stack-facts.js';

const NODE = ['api-gateway', 'users', 'products', 'orders'];

function container(service: string): ContainerFacts {
  return {
    service,
    name: `shopstack-${service}-1`,
    state: 'running',
    exitCode: 0,
    health: HEALTHY(service as Service),
    lastHealthOutput: '',
    restartCount: 0,
    published: service === 'nginx' ? ['0.0.0.0:8080->80'] : [],
    networks: NETWORKS[service as keyof typeof NETWORKS],
    ready: NODE.includes(service) ? '200 {"status":"ready","checks":{"postgres":"up","redis":"up"}}' : undefined,
    errors: [],
    oneShot: false,
  };
}

/** The secrets job, as `up` leaves it: exited 0, no healthcheck. */
const secretsJob = (): ContainerFacts => ({ ...container('secrets'), state: 'exited', health: 'none', networks: [], oneShot: true });

function healthy(): StackFacts {
  return {
    project: 'shopstack',
    engineVersion: '26.1.5',
    composeVersion: '2.26.1',
    expected: Object.keys(NETWORKS),
    dataStores: ['users-db', 'products-db', 'orders-db', 'redis'],
    owners: { 'users-db': 'users', 'products-db': 'products', 'orders-db': 'orders' },
    containers: [...Object.keys(NETWORKS).map(container), secretsJob()],
    internalNetworks: { public: false, backend: true, 'users-data': true, 'products-data': true, 'orders-data': true, monitoring: true },
    redisAppendOnly: 'yes',
    disk: [],
  };
}

const change = (facts: StackFacts, service: string, edit: Partial<ContainerFacts>) => {
  Object.assign(facts.containers.find((c) => c.service === service)!, edit);
  return facts;
};
const problems = (facts: StackFacts) => diagnose(facts).filter((f) => f.severity === 'problem').map(({ piece, what }) => `${piece}: ${what}`);

describe('doctor diagnosis', () => {
  it('finds nothing wrong with a healthy stack', () => {
    expect(diagnose(healthy())).toEqual([]);
  });

  it('names a one-shot job that failed, and only then', () => {
    expect(problems(change(healthy(), 'secrets', { exitCode: 1 }))).toEqual(['secrets: exited (exit code 1)']);
  });

  it('names a stopped database, and the service it leaves not ready, with a fix for each', () => {
    const facts = change(healthy(), 'users-db', { state: 'exited', exitCode: 0 });
    const down = '503 {"status":"not_ready","checks":{"postgres":"down","redis":"up"}}';
    change(facts, 'users', { health: 'unhealthy', lastHealthOutput: down, ready: down });
    const found = diagnose(facts);
    expect(found.map(({ piece, what }) => `${piece}: ${what}`)).toEqual([
      'users: unhealthy, not ready: 503 {"status":"not_ready","checks":{"postgres":"down","redis":"up"}}',
      'users-db: exited (exit code 0)',
    ]);
    expect(found[0]!.fix).toContain('docker compose start users-db');
  });

  it('names a killed service, a missing one, and Redis without its append-only file', () => {
    const facts = change(healthy(), 'products', { state: 'exited', exitCode: 137 });
    facts.containers = facts.containers.filter((c) => c.service !== 'orders');
    facts.redisAppendOnly = 'no';
    expect(problems(facts)).toEqual(['orders: no container', 'products: exited (exit code 137)', 'redis: appendonly is no: a restart loses the cache and idempotency keys']);
  });

  it('names a service that is up but not ready yet', () => {
    const facts = change(healthy(), 'orders', { ready: '503 {"status":"not_ready","checks":{"postgres":"up","redis":"down"}}' });
    const [finding] = diagnose(facts);
    expect(finding).toMatchObject({ piece: 'orders', what: expect.stringContaining('not ready') });
    expect(finding!.fix).toContain('docker compose start redis');
  });

  it('names a published database port, a database on the wrong network, and a network no longer internal', () => {
    const facts = change(healthy(), 'users-db', { published: ['0.0.0.0:5432->5432'], networks: ['users-data', 'public'] });
    facts.internalNetworks['orders-data'] = false;
    expect(problems(facts)).toEqual([
      'users-db: publishes 0.0.0.0:5432->5432 on the host',
      'users-db: reachable from nginx, api-gateway, nginx-exporter',
      'users-db: on network public, which is not internal',
      'orders-db: on network orders-data, which is not internal',
    ]);
  });

  it('lets a database’s exporter share its network, and nothing else of monitoring', () => {
    expect(problems(change(healthy(), 'prometheus', { networks: ['backend', 'monitoring', 'users-data'] }))).toEqual(['users-db: reachable from prometheus']);
    expect(problems(change(healthy(), 'users-db-exporter', { networks: ['monitoring', 'users-data', 'orders-data'] }))).toEqual(['orders-db: reachable from users-db-exporter']);
  });

  it('expects every container `up` starts, monitoring included, but no one-shot job and no profile’s', () => {
    const model = {
      name: 'shopstack',
      networks: {},
      services: {
        secrets: {},
        users: { depends_on: { secrets: { condition: 'service_completed_successfully' } } },
        prometheus: {},
        'nginx-exporter': {},
        seed: { profiles: ['seed'] },
      },
    } as unknown as ComposeModel;
    expect(expectedServices(model)).toEqual(['users', 'prometheus', 'nginx-exporter']);
    const facts = healthy();
    facts.containers = facts.containers.filter((c) => c.service !== 'nginx-exporter');
    expect(problems(facts)).toEqual(['nginx-exporter: no container']);
  });

  it('notes restarts and logged errors without calling them problems, with the command to follow the request', () => {
    const facts = change(healthy(), 'api-gateway', { restartCount: 2, errors: ['{"level":50,"requestId":"abc-1","msg":"boom"}'] });
    const found = diagnose(facts);
    expect(found.every((f) => f.severity === 'note')).toBe(true);
    expect(found.map((f) => f.fix)).toContain('follow that request everywhere: docker compose logs | grep abc-1');
  });

  it('refuses engines and Compose versions older than the stack needs', () => {
    expect(atLeast('26.1.5+dfsg1', '25.0')).toBe(true);
    expect(atLeast('24.0.9', '25.0')).toBe(false);
    expect(atLeast('2.26.1-4', '2.22')).toBe(true);
    expect(atLeast('2.21.0', '2.22')).toBe(false);
    expect(problems({ ...healthy(), engineVersion: '24.0.7' })).toEqual(['docker: Docker Engine 24.0.7']);
  });
});
