// One small line chart: an inline SVG that stretches to its cell, with the words (now, the
// scale's top) in HTML beside it, where they stay readable at any width. No chart library:
// a path per series is all these need. Colours come from metrics.css (the page's CSP allows
// no style attribute); presentation attributes such as `d` are not styles.

import { h, setText } from './dom';
import { latest, linePath, scaleMax, type Range, type Series } from './metrics-series';

const SVG = 'http://www.w3.org/2000/svg';
// The drawing's own units; the SVG is stretched to its cell (preserveAspectRatio none), and
// strokes keep their width (vector-effect).
const WIDTH = 300;
const HEIGHT = 60;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string>): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  return el;
}

export interface ChartSpec {
  /** What it shows, for the label and screen readers: "requests per second". */
  label: string;
  /** The field name tests and styles find it by, e.g. "rps". */
  field: string;
  format: (value: number) => string;
  /** The least top of the scale, so that near-zero noise does not fill the chart. */
  floor: number;
  /** A fixed top instead (a breaker's 0–2). */
  max?: number;
  /** The line in the colour of trouble (the 5xx ratio). */
  tone?: 'bad';
}

export interface Chart {
  el: HTMLElement;
  /** Redraws with new points; `budget`: a dashed line at that value, when it falls on the scale. */
  update(points: Series, range: Range, budget?: number): void;
}

export function lineChart(spec: ChartSpec): Chart {
  const now = h('span', { class: 'metric-now', 'data-field': spec.field }, '…');
  const scale = h('span', { class: 'metric-scale' });
  const line = svg('path', { class: `chart-line${spec.tone ? ` chart-line-${spec.tone}` : ''}`, 'vector-effect': 'non-scaling-stroke' });
  const budgetLine = svg('line', { class: 'chart-budget', x1: '0', x2: String(WIDTH), 'vector-effect': 'non-scaling-stroke' });
  const drawing = svg('svg', { class: 'chart', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, preserveAspectRatio: 'none', role: 'img' });
  drawing.append(svg('line', { class: 'chart-axis', x1: '0', x2: String(WIDTH), y1: String(HEIGHT), y2: String(HEIGHT), 'vector-effect': 'non-scaling-stroke' }), budgetLine, line);
  const el = h('div', { class: 'metric', 'data-metric': spec.field }, h('div', { class: 'metric-head' }, h('span', { class: 'metric-label' }, spec.label), now), drawing, scale);

  return {
    el,
    update(points, range, budget) {
      const values = points.map(([, value]) => value);
      const max = spec.max ?? scaleMax(values, spec.floor);
      const current = latest(points, range);
      const shown = current === undefined ? 'no data' : spec.format(current);
      setText(now, shown);
      now.dataset['value'] = current === undefined ? '' : String(current);
      line.setAttribute('d', linePath(points, range, max, WIDTH, HEIGHT));
      const budgetOnScale = budget !== undefined && budget <= max;
      budgetLine.toggleAttribute('hidden', !budgetOnScale);
      if (budgetOnScale) for (const end of ['y1', 'y2']) budgetLine.setAttribute(end, String(HEIGHT - (budget / max) * HEIGHT));
      const budgetText = budget === undefined ? '' : budgetOnScale ? ` · dashed: budget ${spec.format(budget)}` : ` · budget ${spec.format(budget)}, off the scale`;
      setText(scale, spec.max === undefined ? `scale 0 to ${spec.format(max)}${budgetText}` : '');
      drawing.setAttribute('aria-label', `${spec.label} over the last 15 minutes: now ${shown}${points.length > 0 ? `, highest ${spec.format(Math.max(...values))}` : ''}`);
    },
  };
}
