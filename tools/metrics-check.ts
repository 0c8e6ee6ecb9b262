// The metrics part of `npm run check` (docs/cours.md, exercise 10): each running Node
// service's /metrics, read from inside its container as Prometheus reads it, must label its
// requests by route template (`/products/:id`), never by the raw path. A raw path makes one
// time series per product id: Prometheus's memory grows with every id ever asked for.
import { loadComposeModel } from './compose-model.js';
import { compose, docker, plain } from './docker.js';
import type { RuleResult } from './rules.js';

/**
 * Distinct `route` values one process may have: each service here serves about twenty routes
 * (plus `unmatched` and a mount's `/*`); every value is a series per method and status, and
 * twelve more in the duration histogram.
 */
export const MAX_ROUTES = 50;

/** A UUID, a run of six digits or more, or a query string: what a template never holds. */
const RAW = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d{6,}|\?/i;

/** Where the services serve /metrics unless METRICS_PORT says otherwise (packages/service-kit). */
const DEFAULT_METRICS_PORT = '9464';

export interface Scrape {
  /** The container, as `docker compose ps` names it. */
  container: string;
  /** Its /metrics in Prometheus's text format, or why there is none. */
  text?: string;
  error?: string;
}

/** The label values of one sample line: `name{a="x",b="y\"z"} 1` → { a: 'x', b: 'y"z' }. */
function labelsOf(line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  const inside = line.slice(line.indexOf('{') + 1, line.lastIndexOf('}'));
  for (const [, name, value] of inside.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
    labels[name!] = value!.replace(/\\(.)/g, (_, char: string) => (char === 'n' ? '\n' : char));
  }
  return labels;
}

/** The distinct `route` values of http_requests_total in an exposition text, sorted. */
export function routeLabels(exposition: string): string[] {
  const routes = new Set<string>();
  for (const line of exposition.split('\n')) {
    if (!line.startsWith('http_requests_total{')) continue;
    const route = labelsOf(line)['route'];
    if (route !== undefined) routes.add(route);
  }
  return [...routes].sort();
}

const sample = (routes: string[]) => routes.slice(0, 3).join(', ') + (routes.length > 3 ? ` (and ${routes.length - 3} more)` : '');

/** What is wrong with one container's route labels: too many of them, or raw paths among them. */
export function routeFailures(container: string, routes: string[]): string[] {
  const failures: string[] = [];
  if (routes.length > MAX_ROUTES) failures.push(`${container}: ${routes.length} route label values (at most ${MAX_ROUTES})`);
  const raw = routes.filter((route) => RAW.test(route));
  if (raw.length) failures.push(`${container}: raw paths in the route label: ${sample(raw)}`);
  return failures;
}

/** The verdict on every scrape, in the shape of the file rules. */
export function metricsRule(scrapes: Scrape[]): RuleResult {
  return {
    chapter: 'Monitoring',
    rule: 'each Node service labels its requests by route template (/products/:id), never by the raw path',
    fix: 'label a request with the template of the route that took it, never req.path or req.originalUrl (packages/metrics/src/http-metrics.ts), then rebuild: docker compose up -d --build --wait',
    failures: scrapes.flatMap(({ container, text, error }) =>
      text === undefined ? [`${container}: no /metrics (${error ?? 'no answer'}); see docker logs ${container}`] : routeFailures(container, routeLabels(text)),
    ),
  };
}

/** Reads /metrics inside a container, with its own Node: the port is never published. */
async function scrape(container: string, port: string): Promise<Scrape> {
  // One line on failure (the cause, not Node's stack trace), as the report has room for.
  const read = [
    `fetch('http://127.0.0.1:${port}/metrics')`,
    `.then(async (r) => { if (!r.ok) throw new Error('HTTP ' + r.status); process.stdout.write(await r.text()); })`,
    `.catch((e) => { console.error(String(e.cause ?? e)); process.exit(1); })`,
  ].join('');
  const ran = await docker(['exec', container, 'node', '-e', read], 10_000);
  return ran.code === 0 ? { container, text: ran.stdout } : { container, error: plain(ran.stderr).trim().split('\n')[0] || `exit code ${ran.code}` };
}

/** Every running container of a Node service (those whose health check is the Node script), scraped. */
export async function scrapeNodeServices(): Promise<Scrape[]> {
  const model = await loadComposeModel();
  const ps = await compose(['ps', '--format', '{{.Service}} {{.Name}}']);
  const containers = ps.stdout
    .split('\n')
    .map((line) => line.trim().split(' '))
    .filter(([service]) => model.services[service ?? '']?.healthcheck?.test?.some((part) => part.includes('healthcheck.cjs')));
  return Promise.all(
    containers.map(([service, name]) => scrape(name!, model.services[service!]?.environment?.['METRICS_PORT'] || DEFAULT_METRICS_PORT)),
  );
}

export const checkMetrics = async (): Promise<RuleResult> => metricsRule(await scrapeNodeServices());
