import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ImageSize } from './images.js';
import type { LoadResult } from './load.js';
import type { MemoryFigures } from './memory.js';
import type { MetricsCost } from './metrics-cost.js';
import type { TimedStart } from './monitoring.js';

export interface Target {
  what: string;
  figure: string;
  target: string;
  met: boolean;
}

export interface BenchResults {
  date: string;
  machine: { cpus: number; node: string; docker: string; standInBases: boolean };
  /** Each load's figures are the median of this many runs. */
  runsPerLoad: number;
  /** Each container's CPU at rest (healthchecks, timers), subtracted from what the loads use. */
  idleCpuMicrosPerSecond: Record<string, number>;
  load: LoadResult[];
  /** Per load name: the CPU microseconds per request of each container on its path. */
  cpuMicrosPerRequest: Record<string, Record<string, number>>;
  /** `up --wait` of everything (monitoring included), timed with fresh volumes and with them kept. */
  coldStartSeconds: { freshVolumes: number; existingVolumes: number };
  /** What was not up when either of those waits ended: empty when everything was. */
  coldStartNotUp: TimedStart['notUp'];
  /** The figures of the results this run replaced, when there were some. */
  previousColdStartSeconds?: { freshVolumes: number; existingVolumes: number };
  images: ImageSize[];
  naive: { naive: ImageSize; optimized: ImageSize; gainTotalPercent: number; gainOwnLayersPercent: number };
  memoryMb: { idle: Record<string, MemoryFigures>; underLoad: Record<string, MemoryFigures> };
  /** Prometheus and the exporters, their memory (docker stats) at rest, and the cold starts of the shop without them. */
  monitoring: {
    services: string[];
    shopAloneColdStart: { freshVolumes: TimedStart; existingVolumes: TimedStart };
    memoryMb: { afterStart: Record<string, number>; afterRun: Record<string, number> };
  };
  metricsCost: MetricsCost;
  targets: Target[];
}

const table = (header: string[], rows: Array<Array<string | number>>) =>
  [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');

const CONTAINERS = ['nginx', 'api-gateway', 'users', 'products', 'orders', 'users-db', 'products-db', 'orders-db', 'redis'];

function cpuTable(results: BenchResults): string {
  const used = CONTAINERS.filter((c) => Object.values(results.cpuMicrosPerRequest).some((row) => c in row));
  return table(
    ['CPU µs per request', ...used],
    Object.entries(results.cpuMicrosPerRequest).map(([load, row]) => [load, ...used.map((c) => (c in row ? row[c]! : '–'))]),
  );
}

function metricsCostTable({ metricsCost: cost }: BenchResults): string {
  const rows = Object.entries(cost.cpuMicrosPerRequest.on).flatMap(([load, row]) =>
    Object.entries(row).map(([service, on]) => {
      const off = cost.cpuMicrosPerRequest.off[load]![service]!;
      return [load, service, off, on, `${Math.round((on / off) * 100) / 100}x`];
    }),
  );
  const idle = Object.entries(cost.idleCpuMicrosPerSecond.on).map(([service, on]) => ['at rest (µs per second, Prometheus scraping when on)', service, cost.idleCpuMicrosPerSecond.off[service]!, on, '']);
  const throughput = Object.entries(cost.throughput.on).map(([load, on]) => [`${load}: req/s`, 'all', cost.throughput.off[load]!, on, '']);
  return table(['metrics phase (off, on, on, off)', 'service', 'CPU µs per request, metrics off', 'metrics on', 'on / off'], [...rows, ...idle, ...throughput]);
}

function monitoringTable(results: BenchResults): string {
  const { monitoring } = results;
  const { shopAloneColdStart, memoryMb } = monitoring;
  const shown = (mb: number | undefined) => (mb === undefined ? 'not running' : mb);
  const sum = (memory: Record<string, number>) => Math.round(Object.values(memory).reduce((total, mb) => total + mb, 0) * 10) / 10;
  return [
    table(
      ['monitoring container', 'memory MB after start', 'after the run'],
      [...monitoring.services.map((s) => [s, shown(memoryMb.afterStart[s]), shown(memoryMb.afterRun[s])]), ['all of them', sum(memoryMb.afterStart), sum(memoryMb.afterRun)]],
    ),
    '',
    `Cold start of everything (monitoring included, the default; each the median of three): ${results.coldStartSeconds.freshVolumes} s with fresh volumes, ${results.coldStartSeconds.existingVolumes} s with the volumes kept; of the shop alone (nginx and the four Node services, with what they depend on: no monitoring): ${shopAloneColdStart.freshVolumes.seconds} s and ${shopAloneColdStart.existingVolumes.seconds} s.`,
  ].join('\n');
}

function markdown(results: BenchResults): string {
  const { machine } = results;
  return [
    `Measured ${results.date} on ${machine.cpus} CPUs, Node ${machine.node}, Docker ${machine.docker}` +
      (machine.standInBases ? ' (base images here are local Debian stand-ins for the official Alpine ones: compare the "own layers" column, not totals).' : '.'),
    '',
    table(
      [`load (10 connections, loopback; median of ${results.runsPerLoad} runs)`, 'req/s', 'mean ms', 'p50 ms', 'p99 ms', 'requests', 'errors / non-2xx'],
      results.load.map((r) => [r.name, r.throughput, r.meanMs, r.p50Ms, r.p99Ms, r.requests, `${r.errors} / ${r.non2xx}`]),
    ),
    '',
    cpuTable(results),
    '',
    'CPU µs per request: what each container on the path used during the load (its cgroup counter), less what it uses at rest in that time, over the requests served; the median of the runs. ' +
      'The row “with a bearer token” is the row above it sent with a customer’s access token: the difference is what verifying it costs the gateway and products, each checking it against users’ cached keys; users’ figure there shows it is not called.',
    '',
    table(['target', 'measured', 'target', 'met'], results.targets.map((t) => [t.what, t.figure, t.target, t.met ? 'yes' : '**no**'])),
    '',
    table(
      ['image', 'total MB', 'base', 'base MB', 'own layers MB'],
      [...results.images, results.naive.naive].map((i) => [i.image, i.totalMb, i.base, i.baseMb, i.ownMb]),
    ),
    '',
    table(
      ['Node service', 'idle: docker stats / VmRSS / private MB', 'under load: docker stats / VmRSS / private MB'],
      Object.keys(results.memoryMb.idle).map((s) => {
        const show = (m: MemoryFigures) => `${m.containerMb} / ${m.rssMb} / ${m.privateMb}`;
        return [s, show(results.memoryMb.idle[s]!), show(results.memoryMb.underLoad[s]!)];
      }),
    ),
    '',
    'docker stats is the container\'s own memory; VmRSS adds the node binary\'s file pages (~50 MB), which every container of the image shares; private is RssAnon.',
    '',
    metricsCostTable(results),
    '',
    'The metrics phase runs with monitoring up: the full-path cache-hit GET and the order placement, 10 s each, with the four Node services restarted with METRICS=off (bench/compose.no-metrics.yml), then on, on again, then off: a drift over the phase weighs on both alike. Each figure is the mean of its mode\'s two runs, less the CPU at rest measured just before.',
    '',
    monitoringTable(results),
  ].join('\n');
}

/** bench/results/<date>.json, latest.json and latest.md, and the README's Performance section. */
export function writeResults(root: string, results: BenchResults): string {
  const dir = path.join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  writeFileSync(path.join(dir, `${results.date.replace(/[:.]/g, '-')}.json`), json);
  writeFileSync(path.join(dir, 'latest.json'), json);
  const md = markdown(results);
  writeFileSync(path.join(dir, 'latest.md'), `${md}\n`);

  const readmePath = path.join(root, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  if (readme.includes(start) && readme.includes(end)) {
    const before = readme.slice(0, readme.indexOf(start) + start.length);
    const after = readme.slice(readme.indexOf(end));
    writeFileSync(readmePath, `${before}\n${md}\n${after}`);
  }
  return md;
}
