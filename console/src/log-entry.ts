// One request in the log: what was asked, what came back, and how to follow it in the logs.

import { problemSubject, type ApiRecord } from './api';
import { h, type Child } from './dom';
import { formatMs } from './format';
import { commandLine } from './ui';
import { waterfall } from './waterfall';

function statusClass(status: number | undefined): string {
  if (status === undefined || status >= 500) return 'status-bad';
  return status >= 400 ? 'status-warn' : 'status-ok';
}

function fact(term: string, hook: string, ...value: Child[]): HTMLDivElement {
  return h('div', null, h('dt', null, term), h('dd', { 'data-field': hook }, ...value));
}

export function logEntry(record: ApiRecord): HTMLElement {
  const { status, error, requestId } = record;
  const facts: HTMLElement[] = [];
  if (record.cache) facts.push(fact('X-Cache', 'x-cache', record.cache));
  if (record.age) facts.push(fact('Age', 'age', `${record.age} s`));
  if (record.retryAfter) facts.push(fact('Retry-After', 'retry-after', `${record.retryAfter} s`));
  if (record.replayed) facts.push(fact('Idempotent-Replayed', 'replayed', record.replayed));
  if (record.gateway) facts.push(fact('Gateway', 'gateway', h('code', null, record.gateway)));
  if (error) {
    facts.push(fact('Error', 'error', h('code', { 'data-field': 'error-code' }, error.code), ' — ', h('span', { 'data-field': 'error-message' }, error.message)));
    if (error.details?.length) {
      facts.push(fact('Fields', 'error-details', h('ul', null, error.details.map((d) => h('li', null, h('code', null, problemSubject(d)), ` ${d.message}`)))));
    }
  }
  if (record.networkError) facts.push(fact('Problem', 'network-error', record.networkError));
  if (requestId) {
    facts.push(fact('Request id', 'request-id', commandLine(requestId, 'request id')));
    facts.push(fact('Follow it', 'log-command', commandLine(`docker compose logs | grep ${requestId}`, 'log command')));
  }

  const time = new Date(record.startedAt);
  return h(
    'article',
    {
      class: 'log-entry',
      'data-request-id': requestId,
      'data-status': status === undefined ? 'none' : String(status),
      'data-method': record.method,
      'data-path': record.path,
    },
    h('h3', { class: 'log-title' }, h('span', { class: 'method' }, record.method), ' ', h('span', { class: 'path' }, record.path)),
    h(
      'p',
      { class: 'log-summary' },
      h('span', { class: `status ${statusClass(status)}`, 'data-field': 'status' }, status === undefined ? 'no answer' : String(status)),
      h('span', { 'data-field': 'duration' }, formatMs(record.durationMs)),
      record.background && h('span', { class: 'tag' }, 'background'),
      h('time', { dateTime: time.toISOString() }, time.toLocaleTimeString('en-GB')),
    ),
    facts.length > 0 && h('dl', { class: 'facts' }, facts),
    waterfall(record),
  );
}
