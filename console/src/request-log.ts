// Request log: every request the console made, newest first, the last 50. Status polls are
// never logged; auto-refresh reads only while "Show background requests" is on (they are not
// kept otherwise, so they cannot push a person's own requests out of the 50).

import { onRecord } from './api';
import { h } from './dom';
import { field } from './ui';
import { logEntry } from './log-entry';

const KEEP = 50;

export function requestLogPanel(): HTMLElement {
  const showBackground = h('input', { type: 'checkbox', 'data-toggle': 'background-requests' });
  const empty = h('p', { class: 'hint log-empty' }, 'No requests yet.');
  const list = h('div', { class: 'log-list', tabindex: '0', 'aria-label': 'Logged requests, newest first', role: 'region' }, empty);
  const clear = h('button', { type: 'button' }, 'Clear log');

  onRecord((record) => {
    if (record.background && !showBackground.checked) return;
    empty.remove();
    list.prepend(logEntry(record));
    while (list.children.length > KEEP) list.lastElementChild?.remove();
  });
  clear.addEventListener('click', () => list.replaceChildren(empty));

  return h(
    'section',
    { class: 'panel panel-log', id: 'request-log', 'aria-labelledby': 'request-log-title' },
    h('h2', { id: 'request-log-title' }, 'Request log'),
    h('p', { class: 'intro' }, 'Newest first, the last 50. Each shows what the hops said in their headers; status polls are not logged.'),
    h('div', { class: 'toolbar' }, field('Show background requests', showBackground, 'Adds the auto-refresh reads of the product list.'), clear),
    list,
  );
}
