import { dataStores, isDatabase, isDataStore, isFromScratch, isRedis, longRunning, networksOf, ownerOf, type ComposeModel } from './compose-model.js';
import { PRIVILEGE_RULES } from './privilege-rules.js';

/** The files a build reads, besides the compose file: each Dockerfile and its ignore file. */
export interface BuildFiles {
  /** path → text of every Dockerfile the compose file builds. */
  dockerfiles: Record<string, string>;
  /** path → text of the .dockerignore that applies to each of them. */
  dockerignores: Record<string, string>;
  /** Folders an allowlist ignore file lets in that are Node packages ("console/"). */
  packageFolders: string[];
}

export interface RuleResult {
  chapter: string;
  rule: string;
  /** What breaks the rule, one line each; empty when it holds. */
  failures: string[];
  fix: string;
}

export type Rule = Omit<RuleResult, 'failures'> & { check: (model: ComposeModel, files: BuildFiles) => string[] };

const RULES: Rule[] = [
  {
    chapter: '1 - Networks',
    rule: 'every network a database or Redis is on is internal',
    fix: 'put `internal: true` back on that network in docker-compose.yml',
    check: (model) =>
      dataStores(model).flatMap(([name, service]) =>
        networksOf(service)
          .filter((network) => !model.networks[network]?.internal)
          .map((network) => `${name} is on ${network}, which is not internal`),
      ),
  },
  {
    chapter: '1 - Networks',
    rule: "each database shares its network with its own service only, and nginx with no data store",
    fix: 'give each database a network of its own, shared with its service alone (users-db ↔ users on users-data)',
    check: (model) =>
      dataStores(model).flatMap(([name, store]) => {
        // Its service, and its exporter (a read-only role: it reads statistics, no rows).
        const allowed = isDatabase(store) ? [name, ownerOf(model, name), `${name}-exporter`] : null;
        return Object.entries(model.services)
          .filter(([other, service]) => other !== name && networksOf(service).some((n) => networksOf(store).includes(n)))
          .filter(([other]) => (allowed ? !allowed.includes(other) : other === 'nginx'))
          .map(([other]) => `${other} can reach ${name}`);
      }),
  },
  {
    chapter: '3 - Expose vs ports',
    rule: 'only nginx publishes a port; everything else is reached inside the networks (expose)',
    fix: 'remove `ports:` from that service (keep `expose:`); reach it through nginx or `docker compose exec`',
    check: (model) =>
      longRunning(model)
        .filter(([name, service]) => name !== 'nginx' && (service.ports?.length ?? 0) > 0)
        .map(([name, service]) => `${name} publishes ${service.ports!.map((p) => `${p.published ?? '?'}:${p.target}`).join(', ')}`),
  },
  {
    chapter: '2 - Environment variables',
    rule: 'each service sees its own secrets and no other',
    fix: 'mount only the folder of the secrets volume named after the service (`subpath: <service>`)',
    check: (model) =>
      Object.entries(model.services).flatMap(([name, service]) =>
        (service.volumes ?? [])
          .filter((volume) => volume.source === 'secrets' && volume.volume?.subpath !== undefined && volume.volume.subpath !== name)
          .map((volume) => `${name} mounts the secrets of ${volume.volume!.subpath}`),
      ),
  },
  {
    chapter: '2 - Environment variables',
    rule: 'no password or secret is baked into an image',
    fix: 'remove the ENV/ARG from the Dockerfile; pass the value at run time (environment, .env, secrets)',
    check: (model, files) =>
      Object.entries(files.dockerfiles).flatMap(([path, text]) =>
        text
          .split('\n')
          .filter((line) => /^\s*(ENV|ARG)\s+\S*(PASSWORD|SECRET|TOKEN|API_KEY)/i.test(line))
          .map((line) => `${path}: ${line.trim()}`),
      ).concat(
        Object.entries(model.services).flatMap(([name, service]) =>
          Object.keys(service.build?.args ?? {})
            .filter((arg) => /PASSWORD|SECRET|TOKEN|API_KEY/i.test(arg))
            .map((arg) => `${name}: build argument ${arg}`),
        ),
      ),
  },
  {
    chapter: '4 - Redis',
    rule: 'Redis writes its append-only file to a volume',
    fix: 'run redis-server with `--appendonly yes` and mount a named volume on /data',
    check: (model) =>
      Object.entries(model.services)
        .filter(([, service]) => isRedis(service))
        .flatMap(([name, service]) => [
          ...(service.command?.join(' ').includes('--appendonly yes') ? [] : [`${name} runs without --appendonly yes`]),
          ...(service.volumes?.some((v) => v.type === 'volume' && v.target === '/data') ? [] : [`${name} has no volume on /data`]),
        ]),
  },
  {
    chapter: '4 - Redis / 9 - Architecture',
    rule: 'each database keeps its data in a named volume',
    fix: 'mount a named volume on /var/lib/postgresql/data',
    check: (model) =>
      Object.entries(model.services)
        .filter(([, service]) => isDatabase(service))
        .filter(([, service]) => !service.volumes?.some((v) => v.type === 'volume' && v.target === '/var/lib/postgresql/data'))
        .map(([name]) => `${name} has no volume for its data`),
  },
  {
    chapter: '8 - Healthchecks',
    rule: 'every long-running service has a healthcheck',
    fix: 'add a `healthcheck:` (pg_isready, redis-cli ping, the service’s /ready)',
    // Prometheus and the exporters too; an image FROM scratch has nothing to run one with.
    check: (model) =>
      longRunning(model)
        .filter(([, service]) => !isFromScratch(service))
        .filter(([, service]) => !service.healthcheck?.test?.length || service.healthcheck.disable)
        .map(([name]) => `${name} has no healthcheck`),
  },
  {
    chapter: '8 - Healthchecks',
    rule: 'a service starts once its database and Redis are healthy, not merely started',
    fix: 'use `depends_on: {<db>: {condition: service_healthy}}`',
    check: (model) =>
      Object.entries(model.services).flatMap(([name, service]) =>
        Object.entries(service.depends_on ?? {})
          .filter(([dependency, { condition }]) => isDataStore(model.services[dependency] ?? {}) && condition !== 'service_healthy')
          .map(([dependency, { condition }]) => `${name} waits for ${dependency} with ${condition}`),
      ),
  },
  {
    chapter: '7 - Image optimisation',
    rule: 'the build context leaves out node_modules, .git and .env',
    fix: 'list node_modules (**/node_modules), .git and .env in the .dockerignore',
    check: (_model, files) =>
      Object.entries(files.dockerignores).flatMap(([path, text]) =>
        leftIn(text.split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#')), files.packageFolders).map(
          (entry) => `${path} lets ${entry} into the build`,
        ),
      ),
  },
  {
    chapter: '7 - Image optimisation',
    rule: 'images are multi-stage, installed with npm ci, and run as a non-root user',
    fix: 'keep the build stages, `npm ci`, and a `USER` other than root in the last stage',
    check: (_model, files) =>
      Object.entries(files.dockerfiles).flatMap(([path, text]) => {
        const stages = text.split(/^FROM\s/m).slice(1);
        const last = stages.at(-1) ?? '';
        return [
          ...(stages.length >= 2 ? [] : [`${path} has a single stage`]),
          ...(/^\s*RUN\b.*npm install\b/m.test(text) ? [`${path} runs npm install (not npm ci)`] : []),
          ...(/^USER\s+(?!root\b|0\b)\S+/m.test(last) ? [] : [`${path}: the last stage runs as root`]),
        ];
      }),
  },
];

/**
 * What of node_modules, .git and .env an ignore file lets in. Two styles: a denylist names
 * them; an allowlist (`*`, then `!what/is/needed`) must not let them back in, so every
 * Node package folder it re-includes must exclude its node_modules again.
 */
function leftIn(lines: string[], packageFolders: string[]): string[] {
  if (lines.includes('*')) {
    const reincluded = lines.filter((line) => line.startsWith('!')).map((line) => line.slice(1));
    return [
      ...reincluded.filter((line) => /(^|\/)\.(git|env)(\/|$)/.test(line)),
      ...reincluded
        .filter((folder) => packageFolders.includes(folder))
        .filter((folder) => !lines.includes(`${folder}node_modules`))
        .map((folder) => `${folder}node_modules`),
    ];
  }
  const wanted: Array<[string, RegExp]> = [
    ['node_modules', /^(\*\*\/)?node_modules\/?$/],
    ['.git', /^\.git\/?$/],
    ['.env', /^\.env$/],
  ];
  return wanted.filter(([, pattern]) => !lines.some((line) => pattern.test(line))).map(([entry]) => entry);
}

export function checkRules(model: ComposeModel, files: BuildFiles): RuleResult[] {
  return [...RULES, ...PRIVILEGE_RULES].map(({ check, ...rule }) => ({ ...rule, failures: check(model, files) }));
}
