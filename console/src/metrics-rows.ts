// The rows of the metrics panel: one per service (its traffic, errors, p95 and the gateway's
// breaker towards it), and one for orders' pending reservations. Built once, updated in place
// at every poll.

import { h, setText } from './dom';
import { lineChart } from './metrics-chart';
import {
  breakerState,
  formatRate,
  formatRatio,
  formatSeconds,
  latest,
  liveness,
  type BreakerMetrics,
  type Liveness,
  type MetricService,
  type Overview,
} from './metrics-series';

export interface Row {
  el: HTMLElement;
  update(overview: Overview): void;
}

// The same words and colours as the architecture's boxes.
const BADGE: Record<Liveness, { state: string; text: string }> = {
  up: { state: 'up', text: 'scraped' },
  down: { state: 'down', text: 'down' },
  'no-data': { state: 'unknown', text: 'no data' },
};

const BREAKER_WORDS = ['closed', 'half-open', 'open'];
const breakerWords = (value: number): string => BREAKER_WORDS[Math.round(value)] ?? 'unknown';
const times = (n: number): string => `${n} time${n === 1 ? '' : 's'}`;

/** "to products: open, opened 2 times, closed 1 time in 15 min". */
function breakerLine(breaker: BreakerMetrics, overview: Overview): string {
  const { open, closed } = breaker.transitions;
  return `to ${breaker.target}: ${breakerState(breaker.state, overview.range)}, opened ${times(open)}, closed ${times(closed)}`;
}

export function serviceRow(name: MetricService): Row {
  const badge = h('span', { class: 'badge', 'data-field': 'liveness' });
  const instances = h('span', { class: 'metrics-instances', 'data-field': 'instances' });
  const rps = lineChart({ label: 'Requests', field: 'rps', format: formatRate, floor: 1 });
  const errors = lineChart({ label: '5xx ratio', field: 'errors', format: formatRatio, floor: 0.05, tone: 'bad' });
  const p95 = lineChart({ label: 'p95', field: 'p95', format: formatSeconds, floor: 0.05 });
  // The gateway's breaker towards the service; the gateway has none towards itself.
  const breaker = name === 'api-gateway' ? undefined : lineChart({ label: 'Gateway’s breaker', field: 'breaker', format: breakerWords, floor: 2, max: 2 });
  const notes = h('ul', { class: 'metrics-notes', 'data-field': 'breakers' });
  const el = h(
    'li',
    { class: 'metrics-row', 'data-metrics-service': name },
    h('h3', { class: 'metrics-name' }, name, ' ', badge, ' ', instances),
    h('div', { class: 'metrics-charts' }, rps.el, errors.el, p95.el, breaker?.el),
    notes,
  );

  return {
    el,
    update(overview) {
      const { range } = overview;
      const metrics = overview.services[name];
      const live = liveness(metrics.targetsUp, range);
      el.dataset['up'] = live;
      badge.dataset['state'] = BADGE[live].state;
      setText(badge, BADGE[live].text);
      const up = latest(metrics.targetsUp, range);
      setText(instances, up === undefined ? '' : `${up} instance${up === 1 ? '' : 's'} up`);
      rps.update(metrics.requestsPerSecond, range);
      errors.update(metrics.errorRatio, range);
      p95.update(metrics.p95Seconds, range, metrics.timeBudgetSeconds);
      const towards = overview.breakers.find((b) => b.caller === 'api-gateway' && b.target === name);
      if (breaker) {
        breaker.update(towards?.state ?? [], range);
        el.dataset['breaker'] = towards ? breakerState(towards.state, range) : 'unknown';
      }
      // In words, over the 15 minutes: the gateway's breaker towards it, and its own towards others.
      const lines = [
        ...(towards ? [`Gateway’s breaker ${breakerLine(towards, overview)}`] : []),
        ...overview.breakers.filter((b) => b.caller === name).map((b) => `Its breaker ${breakerLine(b, overview)}`),
      ];
      if (notes.children.length !== lines.length) notes.replaceChildren(...lines.map(() => h('li')));
      lines.forEach((line, i) => setText(notes.children[i]!, line));
    },
  };
}

export function reservationsRow(): Row {
  const pending = lineChart({ label: 'Pending reservations', field: 'pending', format: (n) => String(Math.round(n)), floor: 5 });
  const oldest = lineChart({ label: 'Oldest one’s age', field: 'oldest', format: (s) => `${Math.round(s)} s`, floor: 10 });
  const el = h(
    'li',
    { class: 'metrics-row', 'data-metrics-service': 'reservations' },
    h('h3', { class: 'metrics-name' }, 'orders: stock reservations'),
    h('div', { class: 'metrics-charts' }, pending.el, oldest.el),
    h('p', { class: 'hint' }, 'Stock taken for an order not stored yet; one left by a crash is given back within about 35 s (README, “Nothing lost”).'),
  );
  return {
    el,
    update({ range, reservations }) {
      pending.update(reservations.pending, range);
      oldest.update(reservations.oldestAgeSeconds, range);
    },
  };
}
