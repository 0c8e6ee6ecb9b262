// "Architecture, live": the stack as boxes coloured and labelled from GET /api/status,
// polled every 1.5 s. Boxes are updated in place (never rebuilt), so focus and reading
// position survive each poll.

import { problemText, request, type ApiRecord } from './api';
import { session } from './auth';
import { h, setText } from './dom';
import { formatAgo } from './format';
import { SERVICES, statusView, type BoxName, type BoxState, type ServiceView, type StatusView } from './status-view';
import { visibleLoop } from './visible-loop';

const POLL_MS = 1500;

interface BoxSpec {
  name: BoxName | 'browser';
  role: string;
  kind: 'client' | 'edge' | 'service' | 'db' | 'redis';
}

const BOX_SPECS: readonly BoxSpec[] = [
  { name: 'browser', role: 'this page', kind: 'client' },
  { name: 'nginx', role: 'edge proxy on :8080, JSON errors', kind: 'edge' },
  { name: 'api-gateway', role: 'routing, retries, circuit breakers, rate limit', kind: 'edge' },
  { name: 'users', role: 'accounts', kind: 'service' },
  { name: 'products', role: 'catalogue and stock', kind: 'service' },
  { name: 'orders', role: 'orders, idempotency', kind: 'service' },
  { name: 'users-db', role: 'Postgres', kind: 'db' },
  { name: 'products-db', role: 'Postgres', kind: 'db' },
  { name: 'orders-db', role: 'Postgres', kind: 'db' },
  { name: 'redis', role: 'shared by the gateway and the three services: caches, rate limits, stale copies, locks', kind: 'redis' },
];

const STATE_TEXT: Record<BoxState, { mark: string; text: string; meaning: string }> = {
  up: { mark: '✓', text: 'up', meaning: 'answering and ready' },
  degraded: { mark: '!', text: 'degraded', meaning: 'answering, but a check fails or its breaker is not closed' },
  down: { mark: '✕', text: 'down', meaning: 'not answering' },
  unknown: { mark: '?', text: 'unknown', meaning: 'cannot tell: a hop in front of it is not answering, or only an admin may see it' },
};

function stateBadge(state: BoxState): HTMLSpanElement {
  const badge = h('span', { class: 'badge', 'data-field': 'state' });
  setBadge(badge, state);
  return badge;
}

function setBadge(badge: HTMLElement, state: BoxState): void {
  const { mark, text } = STATE_TEXT[state];
  if (badge.dataset['state'] === state) return;
  badge.dataset['state'] = state;
  badge.replaceChildren(h('span', { class: 'badge-mark', 'aria-hidden': 'true' }, mark), ` ${text}`);
}

interface BoxParts {
  el: HTMLLIElement;
  badge: HTMLElement;
  lines: HTMLElement;
}

function renderBox(spec: BoxSpec): BoxParts {
  const badge = stateBadge('unknown');
  const lines = h('div', { class: 'box-lines' });
  const el = h(
    'li',
    { class: `box box-${spec.kind}`, ...(spec.name === 'browser' ? { 'data-client': '' } : { 'data-box': spec.name, 'data-state': 'unknown' }) },
    h('div', { class: 'box-head' }, h('span', { class: 'box-name' }, spec.name), spec.name === 'browser' ? null : badge),
    h('p', { class: 'box-role' }, spec.role),
    lines,
  );
  return { el, badge, lines };
}

function serviceLines(service: ServiceView): string[] {
  const lines = [service.ready === undefined ? 'readiness unknown' : service.ready ? 'ready' : 'not ready'];
  lines.push(`breaker ${service.breaker ?? 'unknown'}`);
  for (const [callee, state] of Object.entries(service.calls ?? {})) lines.push(`its breaker to ${callee}: ${state}`);
  if (service.counts) {
    const { fires, failures, rejects } = service.counts;
    lines.push(`fires ${fires} · failures ${failures}`, `rejects ${rejects} · fallbacks ${service.fallbacks ?? 0}`);
  }
  return lines;
}

function setLines(container: HTMLElement, lines: readonly string[]): void {
  const current = [...container.children];
  if (current.length !== lines.length) container.replaceChildren(...lines.map((line) => h('p', null, line)));
  else current.forEach((el, i) => setText(el, lines[i] ?? ''));
}

function applyView(boxes: Map<string, BoxParts>, view: StatusView): void {
  for (const [name, parts] of boxes) {
    if (name === 'browser') continue;
    const state = view.boxes[name as BoxName];
    parts.el.dataset['state'] = state;
    setBadge(parts.badge, state);
  }
  for (const name of SERVICES) {
    const parts = boxes.get(name);
    if (!parts) continue;
    const service = view.services[name];
    if (service.breaker) parts.el.dataset['breaker'] = service.breaker;
    else delete parts.el.dataset['breaker'];
    setLines(parts.lines, view.scope === 'summary' ? ['shown to admins only'] : serviceLines(service));
  }
  const gateway = boxes.get('api-gateway');
  if (gateway) setLines(gateway.lines, view.gatewayInstance ? [`instance ${view.gatewayInstance}`] : []);
}

function legend(): HTMLElement {
  return h(
    'ul',
    { class: 'legend', 'aria-label': 'Legend' },
    (Object.keys(STATE_TEXT) as BoxState[]).map((state) =>
      h('li', null, stateBadge(state), h('span', { class: 'legend-meaning' }, ` ${STATE_TEXT[state].meaning}`)),
    ),
  );
}

export function architecturePanel(): HTMLElement {
  const boxes = new Map(BOX_SPECS.map((spec) => [spec.name, renderBox(spec)] as const));
  const statusLine = h('p', { class: 'status-line', 'data-status-line': '' }, 'Checking /api/status…');
  const scopeNote = h(
    'p',
    { class: 'scope-note', 'data-field': 'status-scope', hidden: true },
    'Log in as an admin to see each service: ',
    h('code', null, 'GET /api/status'),
    ' tells everyone else only the overall status, since which dependency is down is worth knowing to an attacker too.',
  );
  let lastSuccess: number | undefined;
  let lastFailure: { at: number; record: ApiRecord } | undefined;
  let overall = '';

  const describe = (): void => {
    const now = Date.now();
    const success = lastSuccess === undefined ? 'no answer yet' : `updated ${formatAgo(now - lastSuccess)}`;
    if (lastFailure && (lastSuccess === undefined || lastFailure.at > lastSuccess)) {
      statusLine.dataset['poll'] = 'failed';
      setText(statusLine, `Status poll failed ${formatAgo(now - lastFailure.at)}: ${problemText(lastFailure.record)}. Last good answer: ${success}.`);
    } else if (lastSuccess !== undefined) {
      statusLine.dataset['poll'] = 'ok';
      setText(statusLine, `Status ${success}; the gateway reports “${overall}”.`);
    }
  };

  const poll = async (): Promise<void> => {
    const result = await request<unknown>('GET', '/api/status', { log: 'silent', timeoutMs: 5000 });
    const status = result.record.status;
    const view = statusView(status === undefined ? { kind: 'network-error' } : { kind: 'answer', status, body: result.body });
    applyView(boxes, view);
    if (status === 200) {
      lastSuccess = Date.now();
      overall = view.overall ?? 'unknown';
      scopeNote.hidden = view.scope !== 'summary';
    } else lastFailure = { at: Date.now(), record: result.record };
    describe();
  };
  const poller = visibleLoop(poll, POLL_MS);
  poller.start({ now: true });
  // Signing in or out changes what /api/status tells: ask again at once.
  session.watch(() => poller.kick());
  setInterval(() => {
    if (!document.hidden) describe();
  }, 500);

  return h(
    'section',
    { class: 'panel panel-architecture', id: 'architecture', 'aria-labelledby': 'architecture-title' },
    h('h2', { id: 'architecture-title' }, 'Architecture, live'),
    h(
      'p',
      { class: 'intro' },
      'Every box shows what ',
      h('code', null, 'GET /api/status'),
      ' says right now (polled every 1.5 s; these polls are not logged). Stop a container and watch.',
    ),
    scopeNote,
    h('div', { class: 'arch-wrap' }, h('ul', { class: 'arch', 'aria-label': 'Containers of the stack' }, [...boxes.values()].map((b) => b.el))),
    h('div', { class: 'arch-foot' }, legend(), statusLine),
  );
}
