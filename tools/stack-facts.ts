import { dataStores, expectedServices, isDatabase, isOneShot, isRedis, loadComposeModel, ownerOf, type ComposeModel } from './compose-model.js';
import { compose, docker, plain } from './docker.js';

export interface ContainerFacts {
  service: string;
  name: string;
  /** running, exited, restarting, created, paused… */
  state: string;
  exitCode: number;
  /** healthy, unhealthy, starting, or none (no healthcheck). */
  health: string;
  lastHealthOutput: string;
  restartCount: number;
  /** Host ports, as "0.0.0.0:8080->80". */
  published: string[];
  /** The compose names of the networks it is on (backend, users-data…). */
  networks: string[];
  /** What /ready answered, asked inside the container (Node services only). */
  ready?: string;
  /** The last error lines of its log. */
  errors: string[];
  /** A job that runs once and exits (secrets): exited 0 is its success. */
  oneShot: boolean;
}

export interface StackFacts {
  project: string;
  engineVersion: string;
  composeVersion: string;
  /** The services `up` starts that stay up (monitoring included). */
  expected: string[];
  dataStores: string[];
  /** database → the service it belongs to (Redis is shared, so it has none). */
  owners: Record<string, string | undefined>;
  containers: ContainerFacts[];
  /** compose network name → whether Docker created it internal. */
  internalNetworks: Record<string, boolean>;
  /** Redis's appendonly setting, if Redis answered. */
  redisAppendOnly?: string;
  /** `docker system df`, one line per kind. */
  disk: string[];
}

interface Inspected {
  Id: string;
  Name: string;
  RestartCount: number;
  Config: { Labels: Record<string, string> };
  State: { Status: string; ExitCode: number; Health?: { Status: string; Log?: Array<{ Output: string }> } };
  NetworkSettings: { Ports: Record<string, Array<{ HostIp: string; HostPort: string }> | null>; Networks: Record<string, unknown> };
}

/**
 * Error lines worth showing: the Node services' (pino's error and fatal levels) and nginx's
 * own. Postgres logs a FATAL for every dropped connection, which is noise here.
 */
function errorLines(log: string, keep = 3): string[] {
  return plain(log)
    .split('\n')
    .filter((line) => {
      if (line.startsWith('{')) {
        try {
          return (JSON.parse(line) as { level?: number }).level! >= 50;
        } catch {
          return false;
        }
      }
      return /\[(error|crit|alert|emerg)\]/.test(line);
    })
    .slice(-keep)
    .map((line) => (line.length > 300 ? `${line.slice(0, 300)}…` : line));
}

async function containerFacts(model: ComposeModel, item: Inspected): Promise<ContainerFacts> {
  const service = item.Config.Labels['com.docker.compose.service'] ?? item.Name;
  const byDockerName = Object.fromEntries(Object.entries(model.networks).map(([key, network]) => [network.name, key]));
  const running = item.State.Status === 'running';
  const checksReady = model.services[service]?.healthcheck?.test?.some((part) => part.includes('healthcheck.cjs'));
  const [ready, log] = await Promise.all([
    running && checksReady ? docker(['exec', item.Id, 'node', '/app/healthcheck.cjs', '/ready'], 10_000) : undefined,
    checksReady || service === 'nginx' ? docker(['logs', '--tail', '300', item.Id]) : undefined,
  ]);
  return {
    service,
    name: item.Name.replace(/^\//, ''),
    state: item.State.Status,
    exitCode: item.State.ExitCode,
    health: item.State.Health?.Status ?? 'none',
    lastHealthOutput: (item.State.Health?.Log?.at(-1)?.Output ?? '').trim(),
    restartCount: item.RestartCount,
    published: Object.entries(item.NetworkSettings.Ports ?? {}).flatMap(([port, bindings]) =>
      (bindings ?? []).map((binding) => `${binding.HostIp}:${binding.HostPort}->${port.replace('/tcp', '')}`),
    ),
    networks: Object.keys(item.NetworkSettings.Networks ?? {}).map((name) => byDockerName[name] ?? name),
    // The script prints its verdict on stdout; docker's own complaint only when it printed nothing.
    ready: ready ? ready.stdout.trim() || `no answer within 10 s (${ready.stderr.trim() || `exit code ${ready.code}`})` : undefined,
    errors: log ? errorLines(log.stdout + log.stderr) : [],
    oneShot: isOneShot(model, service),
  };
}

export async function gatherFacts(): Promise<StackFacts> {
  // Every profile, so that a container of the seed or the lab is known too.
  const model = await loadComposeModel({ allProfiles: true });
  const [engine, composeVersion, ps, df] = await Promise.all([
    docker(['version', '--format', '{{.Server.Version}}']),
    compose(['version', '--short']),
    // Every profile's containers (the seed's, the lab's, when they ran).
    compose(['--profile', '*', 'ps', '--all', '--quiet']),
    docker(['system', 'df', '--format', '{{.Type}}: {{.Size}} ({{.Reclaimable}} reclaimable)']),
  ]);
  const ids = ps.stdout.split('\n').filter(Boolean);
  const inspected = ids.length ? (JSON.parse((await docker(['inspect', ...ids])).stdout) as Inspected[]) : [];
  const containers = await Promise.all(inspected.map((item) => containerFacts(model, item)));
  const networkNames = Object.values(model.networks).map((network) => network.name);
  const networks = await docker(['network', 'inspect', '--format', '{{.Name}} {{.Internal}}', ...networkNames]);
  const internal = Object.fromEntries(networks.stdout.split('\n').filter(Boolean).map((line) => line.split(' ')));
  const redis = containers.find((c) => isRedis(model.services[c.service] ?? {}) && c.state === 'running');
  // As Redis's healthcheck user (the default user is off), its password never on a command line.
  const asHealthcheck = 'REDISCLI_AUTH="$(cat /run/secrets/redis_healthcheck_password)" exec redis-cli --user healthcheck CONFIG GET appendonly';
  const aof = redis ? await docker(['exec', redis.name, 'sh', '-c', asHealthcheck], 10_000) : undefined;
  const stores = dataStores(model);
  return {
    project: model.name,
    engineVersion: engine.stdout.trim() || 'unknown (is the engine running?)',
    composeVersion: composeVersion.stdout.trim().replace(/^v/, ''),
    expected: expectedServices(model),
    dataStores: stores.map(([name]) => name),
    owners: Object.fromEntries(stores.filter(([, store]) => isDatabase(store)).map(([name]) => [name, ownerOf(model, name)])),
    containers,
    internalNetworks: Object.fromEntries(
      Object.entries(model.networks).filter(([, n]) => n.name in internal).map(([key, n]) => [key, internal[n.name] === 'true']),
    ),
    redisAppendOnly: aof?.code === 0 ? aof.stdout.split('\n')[1]?.trim() : undefined,
    disk: df.stdout.split('\n').filter(Boolean),
  };
}
