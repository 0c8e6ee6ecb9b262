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

/** Services `up` starts and keeps running (those behind a profile, such as seed, only on demand; jobs exit). */
export const longRunning = (model: ComposeModel) =>
  Object.entries(model.services).filter(([name, service]) => !service.profiles?.length && !isOneShot(model, name));

export const networksOf = (service: ComposeService) => Object.keys(service.networks ?? {});

/** The service a database belongs to: the one that depends on it. */
export const ownerOf = (model: ComposeModel, database: string) =>
  Object.entries(model.services).find(([, service]) => service.depends_on?.[database])?.[0];
