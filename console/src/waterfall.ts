// Where the time went, hop by hop: one row per Server-Timing entry under the browser's own
// total, indented by depth, with a bar proportional to its duration and the ms as text.

import type { ApiRecord } from './api';
import { h } from './dom';
import { formatMs } from './format';
import type { ServerTimingEntry } from './server-timing';
import { waterfallRows } from './timing-tree';

function row(label: Node | string, name: string, depth: number, dur: number | undefined, fraction: number | undefined, extra = ''): HTMLLIElement {
  const bar = h('span', { class: 'timing-bar' });
  bar.style.setProperty('--fraction', String(fraction ?? 0));
  const el = h(
    'li',
    { class: `timing-row ${extra}`, 'data-timing': name, 'data-depth': String(depth), ...(dur !== undefined ? { 'data-dur': String(dur) } : {}) },
    h('span', { class: 'timing-label' }, label),
    h('span', { class: 'timing-track', 'aria-hidden': 'true' }, bar),
    h('span', { class: 'timing-ms' }, dur === undefined ? 'no time' : formatMs(dur)),
  );
  // CSSOM, not a style attribute: allowed by the page's CSP.
  el.style.setProperty('--depth', String(depth));
  return el;
}

// The desc (an instance id, "hit", "2 attempts"…) is secondary: muted, after the name.
function label(entry: ServerTimingEntry, suffix = ''): HTMLSpanElement {
  return h('span', null, entry.name, entry.desc ? h('span', { class: 'timing-desc' }, ` ${entry.desc}`) : null, suffix);
}

export function waterfall(record: ApiRecord): HTMLElement {
  const { rows, scaleMs } = waterfallRows(record.timing, record.durationMs);
  const browserFraction = scaleMs > 0 ? record.durationMs / scaleMs : 0;
  const list = h('ol', { class: 'timing-rows' }, row('browser (total)', 'browser', 0, record.durationMs, browserFraction, 'timing-browser'));
  for (const r of rows) {
    list.append(row(label(r.entry, r.loose ? ' (unplaced)' : ''), r.entry.name, r.loose ? 0 : r.depth + 1, r.entry.dur, r.fraction, r.loose ? 'timing-loose' : ''));
  }
  return h(
    'div',
    { class: 'waterfall', 'data-waterfall': '' },
    h('p', { class: 'waterfall-title' }, 'Where the time went'),
    list,
    record.timing.length === 0 && h('p', { class: 'hint' }, 'No Server-Timing header in this answer.'),
  );
}
