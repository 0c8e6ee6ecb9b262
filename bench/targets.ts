import type { ImageSize } from './images.js';
import { typicalLabel, typicalMs } from './load.js';
import type { Measured } from './measure.js';
import type { MemoryFigures } from './memory.js';
import type { MetricsCost } from './metrics-cost.js';
import type { TimedStart } from './monitoring.js';
import type { BenchResults, Target } from './report.js';

interface Figures {
  measured: Record<'direct' | 'gateway' | 'full' | 'fullWithToken' | 'miss' | 'orders', Measured>;
  coldStartSeconds: BenchResults['coldStartSeconds'];
  coldStartNotUp: TimedStart['notUp'];
  before: BenchResults['coldStartSeconds'] | undefined;
  images: ImageSize[];
  naive: BenchResults['naive'];
  idleMemory: Record<string, MemoryFigures>;
  monitoring: BenchResults['monitoring'];
  metricsCost: MetricsCost;
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const times = (value: number) => `${round(value)}x`;
const signed = (micros: number) => `${micros >= 0 ? '+' : ''}${micros} µs`;

// users' CPU per request during a load that never calls it is its noise around zero; a
// call to users per request (to check the token) would cost hundreds of microseconds.
const NO_CALL_MICROS = 10;

/** A bearer token beside none, for the same cache-hit GET: what verifying it costs the gateway and products. */
function tokenTargets(without: Measured, withToken: Measured): Target[] {
  const cost = (container: 'api-gateway' | 'products') => {
    const [before, after] = [without.cpu[container]!, withToken.cpu[container]!];
    return { ratio: after / before, figure: `${after} µs vs ${before} µs: ${times(after / before)} (${signed(after - before)})` };
  };
  const [gateway, products] = [cost('api-gateway'), cost('products')];
  const users = withToken.cpu['users']!;
  return [
    { what: 'gateway CPU per cache-hit GET with a bearer token vs without (full path)', figure: gateway.figure, target: '<= 1.25x', met: gateway.ratio <= 1.25 },
    { what: 'products’ CPU per cache-hit GET with a bearer token vs without (full path)', figure: products.figure, target: '<= 1.25x', met: products.ratio <= 1.25 },
    { what: 'users’ CPU per request with a bearer token (verified with cached keys: no call to users)', figure: `${users} µs`, target: `<= ${NO_CALL_MICROS} µs`, met: users <= NO_CALL_MICROS },
  ];
}

// What metrics may cost a service: at most 10 % more CPU per request than without them.
const METRICS_COST = 1.1;
const IDLE_MEMORY_MB = 80;

/** Each Node service's CPU per request with metrics beside without, for each load of the metrics phase. */
function metricsCostTargets({ cpuMicrosPerRequest: { on, off } }: MetricsCost): Target[] {
  return Object.entries(on).flatMap(([load, row]) =>
    Object.entries(row).map(([service, withMetrics]) => {
      const without = off[load]![service]!;
      const ratio = withMetrics / without;
      return {
        what: `${service}’s CPU per request with metrics vs without (${load})`,
        figure: `${withMetrics} µs vs ${without} µs: ${times(ratio)} (${signed(withMetrics - without)})`,
        target: `<= ${METRICS_COST}x`,
        met: ratio <= METRICS_COST,
      };
    }),
  );
}

/** The memory at rest of Prometheus and each exporter, against the budget of every other container. */
function monitoringTargets({ services, memoryMb }: BenchResults['monitoring']): Target[] {
  return [
    ...services.map((service) => {
      const [afterStart, afterRun] = [memoryMb.afterStart[service], memoryMb.afterRun[service]];
      const shown = (mb: number | undefined) => (mb === undefined ? 'not running' : `${mb} MB`);
      return {
        what: `idle memory of ${service} (monitoring; docker stats, after start / after the run)`,
        figure: `${shown(afterStart)} / ${shown(afterRun)}`,
        target: `<= ${IDLE_MEMORY_MB} MB`,
        met: afterStart !== undefined && afterRun !== undefined && Math.max(afterStart, afterRun) <= IDLE_MEMORY_MB,
      };
    }),
  ];
}

/** Each figure beside its target; a target missed is reported, not hidden. */
export function targets({ measured, coldStartSeconds, coldStartNotUp, before, images, naive, idleMemory, monitoring, metricsCost }: Figures): Target[] {
  const { direct, full, fullWithToken, miss, orders } = measured;
  const cpu = full.cpu;
  const [hitMs, missMs] = [typicalMs(direct.load, miss.load), typicalMs(miss.load, direct.load)];
  const throughputShare = full.load.throughput / direct.load.throughput;
  const p99Ratio = full.load.p99Ms / direct.load.p99Ms;
  const gatewayVsProducts = cpu['api-gateway']! / cpu['products']!;
  const nginxVsGateway = cpu['nginx']! / cpu['api-gateway']!;
  const gatewayVsOrders = orders.cpu['api-gateway']! / orders.cpu['orders']!;
  const was = (figure: number | undefined) => (figure === undefined ? '' : ` (was ${figure} s)`);
  const down = Object.entries(coldStartNotUp).map(([service, state]) => `${service} ${state}`);
  const notUp = down.length ? `; not up: ${down.join(', ')}` : '';
  return [
    { what: 'gateway CPU per cache-hit GET vs products’ CPU for it (full path)', figure: times(gatewayVsProducts), target: '<= 1.5x', met: gatewayVsProducts <= 1.5 },
    { what: 'nginx CPU per cache-hit GET vs the gateway’s (full path)', figure: times(nginxVsGateway), target: '<= 0.5x', met: nginxVsGateway <= 0.5 },
    ...tokenTargets(full, fullWithToken),
    { what: 'gateway CPU per order vs orders’ own (both verify the customer’s token)', figure: times(gatewayVsOrders), target: '<= 0.25x', met: gatewayVsOrders <= 0.25 },
    { what: 'full-path throughput vs direct (cache hit)', figure: times(throughputShare), target: '>= 0.35x', met: throughputShare >= 0.35 },
    { what: 'full-path p99 vs direct p99', figure: times(p99Ratio), target: '<= 4x', met: p99Ratio <= 4 },
    {
      what: `cache hit vs cache miss, ${typicalLabel(direct.load, miss.load)}`,
      figure: `${round(hitMs / missMs)}x (miss is ${round(missMs / hitMs)}x slower)`,
      target: '<= 0.5x',
      met: hitMs <= missMs / 2,
    },
    {
      what: 'every container healthy after `up --wait`, monitoring included (volumes kept)',
      figure: `${coldStartSeconds.existingVolumes} s${was(before?.existingVolumes)}${notUp}`,
      target: '<= 8 s',
      met: coldStartSeconds.existingVolumes <= 8 && !down.length,
    },
    {
      what: 'every container healthy after `up --wait`, monitoring included (fresh volumes)',
      figure: `${coldStartSeconds.freshVolumes} s${was(before?.freshVolumes)}${notUp}`,
      target: '<= 10 s',
      met: coldStartSeconds.freshVolumes <= 10 && !down.length,
    },
    ...images.filter((i) => i.base.startsWith('node')).map((i) => ({ what: `own layers of ${i.image}`, figure: `${i.ownMb} MB`, target: '<= 15 MB', met: i.ownMb <= 15 })),
    { what: 'naive to optimized image, total size', figure: `${naive.gainTotalPercent} %`, target: '>= 85 %', met: naive.gainTotalPercent >= 85 },
    { what: 'naive to optimized image, own layers', figure: `${naive.gainOwnLayersPercent} %`, target: '>= 85 %', met: naive.gainOwnLayersPercent >= 85 },
    ...Object.entries(idleMemory).map(([s, m]) => ({ what: `idle memory of ${s} (docker stats)`, figure: `${m.containerMb} MB`, target: `<= ${IDLE_MEMORY_MB} MB`, met: m.containerMb <= IDLE_MEMORY_MB })),
    ...metricsCostTargets(metricsCost),
    ...monitoringTargets(monitoring),
  ];
}
