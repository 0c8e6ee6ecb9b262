import { compose } from './docker.js';

/** The parts of `docker compose config --format json` the checks read. */
export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile?: string; args?: Record<string, string> };
  command?: string[] | null;
  environment?: Record<string, string | null>;
  networks?: Record<string, unknown>;
  ports?: Array<{ target: number; published?: string }>;
  expose?: string[];
  healthcheck?: { test?: string[]; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
  volumes?: Array<{ type: string; source?: string; target: string; volume?: { subpath?: string } }>;
  profiles?: string[];
  restart?: string;
  cap_drop?: string[];
  cap_add?: string[];
  security_opt?: string[];
  read_only?: boolean;
  tmpfs?: string[];
  pids_limit?: number;
  cpus?: number;
}

export interface ComposeModel {
  name: string;
  services: Record<string, ComposeService>;
  networks: Record<string, { name: string; internal?: boolean }>;
}

/**
 * The compose file as Compose resolves it (anchors merged, variables substituted): the
 * services `up` starts, or with `allProfiles` those behind a profile too (the seed, the labs).
 */
export async function loadComposeModel({ allProfiles = false } = {}): Promise<ComposeModel> {
  const ran = await compose([...(allProfiles ? ['--profile', '*'] : []), 'config', '--format', 'json']);
  if (ran.code !== 0) throw new Error(`docker compose config failed: ${ran.stderr.trim()}`);
  return JSON.parse(ran.stdout) as ComposeModel;
}

/** The data stores: Postgres databases and Redis. */
export const isDatabase = (service: ComposeService) => /^postgres(:|$)/.test(service.image ?? '');
export const isRedis = (service: ComposeService) => /^redis(:|$)/.test(service.image ?? '');
export const isDataStore = (service: ComposeService) => isDatabase(service) || isRedis(service);
export const dataStores = (model: ComposeModel) => Object.entries(model.services).filter(([, service]) => isDataStore(service));

/** One-shot jobs: services others wait on to finish (service_completed_successfully), such as secrets. */
export const isOneShot = (model: ComposeModel, name: string) =>
  Object.values(model.services).some((service) => service.depends_on?.[name]?.condition === 'service_completed_successfully');

/**
 * The services that should be running: those `up` starts (monitoring included), less the
 * one-shot jobs. `model` may hold every profile: theirs (the seed, the lab) are run on demand
 * and never expected.
 */
export const expectedServices = (model: ComposeModel): string[] => longRunning(model).map(([name]) => name);

/** Every service `up` starts that stays up once started, with its definition. */
export const longRunning = (model: ComposeModel) =>
  Object.entries(model.services).filter(([name, service]) => !isOneShot(model, name) && !service.profiles?.length);

/**
 * Images FROM scratch: the program alone, no shell or wget to run a healthcheck with. Only
 * nginx's exporter here (its official image); Prometheus's `up` for its job is its health,
 * which the TargetDown alert watches.
 */
export const isFromScratch = (service: ComposeService) => /^nginx\/nginx-prometheus-exporter(:|$)/.test(service.image ?? '');

/** The exporter that reads a database, by the compose file's naming (users-db-exporter). */
export const exporterOf = (database: string) => `${database}-exporter`;

export const networksOf = (service: ComposeService) => Object.keys(service.networks ?? {});

/** The service a database belongs to: the one that depends on it (its exporter aside). */
export const ownerOf = (model: ComposeModel, database: string) =>
  Object.entries(model.services).find(([name, service]) => service.depends_on?.[database] && name !== exporterOf(database))?.[0];
