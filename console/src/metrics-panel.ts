// "Metrics": the last 15 minutes of each service as Prometheus saw them, read through the
// gateway's GET /api/monitoring/overview (fixed queries: the page sends no PromQL). The
// admin's only, as the route is. Asked every 5 s while the panel is open and the tab visible,
// so a console nobody is reading costs Prometheus nothing.

import { problemText, request, type ApiRecord } from './api';
import { session } from './auth';
import { h, setText, show } from './dom';
import { formatAgo } from './format';
import { reservationsRow, serviceRow } from './metrics-rows';
import { METRIC_SERVICES, readOverview } from './metrics-series';
import { commandLine } from './ui';
import { visibleLoop } from './visible-loop';

const POLL_MS = 5000;
/**
 * Prometheus not answering this many polls in a row (15 s): the panel says so, with what to
 * do, and asks again only every QUIET_MS. One slow answer (Prometheus busy) is asked again at
 * the usual pace, as any failed poll.
 */
const QUIET_AFTER = 3;
const QUIET_MS = 30_000;
/** Monitoring starts with the stack; this starts Prometheus again if it was stopped or removed. */
const START_AGAIN = 'docker compose up -d --wait prometheus';

function unavailable(retry: () => void): HTMLElement[] {
  const button = h('button', { type: 'button', onclick: retry }, 'Try again now');
  return [
    h(
      'p',
      null,
      'Prometheus is not answering (',
      h('code', null, '503 monitoring_unavailable'),
      '). It may have been stopped: start it again from the project folder, and the graphs appear a few seconds after it starts.',
    ),
    commandLine(START_AGAIN, 'monitoring command'),
    h('div', { class: 'actions' }, button),
  ];
}

export function metricsPanel(): HTMLElement {
  const rows = [...METRIC_SERVICES.map(serviceRow), reservationsRow()];
  const graphs = h(
    'div',
    { class: 'metrics', hidden: true },
    h('p', { class: 'metrics-axis', 'aria-hidden': 'true' }, h('span', null, '15 min ago'), h('span', null, 'now')),
    h('ul', { class: 'metrics-rows', 'aria-label': 'Services over the last 15 minutes' }, rows.map((row) => row.el)),
  );
  const adminsOnly = h('p', { class: 'scope-note', 'data-field': 'metrics-scope' }, 'Log in as an admin to see the graphs: they tell as much about the inside as the full /api/status.');
  const problem = h('div', { class: 'metrics-problem', 'data-field': 'metrics-problem', role: 'status' });
  const statusLine = h('p', { class: 'status-line', 'data-field': 'metrics-updated', hidden: true });
  let lastSuccess: number | undefined;
  /** The last poll's failure, until one succeeds. */
  let failure: ApiRecord | undefined;
  let quietUntil = 0;
  let unavailableInARow = 0;
  /** Bumped when who is signed in changes: an answer on its way belongs to the previous session. */
  let generation = 0;

  const describe = (): void => {
    statusLine.hidden = lastSuccess === undefined && !failure;
    const success = lastSuccess === undefined ? 'no graphs yet' : `updated ${formatAgo(Date.now() - lastSuccess)}`;
    statusLine.dataset['poll'] = failure ? 'failed' : 'ok';
    setText(statusLine, failure ? `Asking for the graphs failed: ${problemText(failure)}. Last graphs: ${success}.` : `Graphs ${success}, asked every 5 s.`);
  };

  const poll = async (): Promise<void> => {
    if (Date.now() < quietUntil) return;
    const mine = generation;
    // Silent: one request every 5 s would drown the request log.
    const result = await request<unknown>('GET', '/api/monitoring/overview', { log: 'silent', timeoutMs: 8000 });
    if (mine !== generation) return;
    const overview = result.ok ? readOverview(result.body) : undefined;
    if (overview) {
      unavailableInARow = 0;
      lastSuccess = Date.now();
      failure = undefined;
      problem.replaceChildren();
      graphs.hidden = false;
      for (const row of rows) row.update(overview);
      return describe();
    }
    unavailableInARow = result.record.error?.code === 'monitoring_unavailable' ? unavailableInARow + 1 : 0;
    if (unavailableInARow >= QUIET_AFTER) {
      // Said once, in the panel, with what to do; not again at every turn.
      quietUntil = Date.now() + QUIET_MS;
      failure = undefined;
      show(problem, unavailable(retryNow));
      return describe();
    }
    problem.replaceChildren();
    failure = result.record;
    describe();
  };
  const poller = visibleLoop(poll, POLL_MS);
  const retryNow = (): void => {
    quietUntil = 0;
    poller.kick();
  };

  const panel = h(
    'details',
    { class: 'panel panel-metrics', id: 'metrics' },
    h('summary', null, h('h2', { id: 'metrics-title' }, 'Metrics, last 15 minutes')),
    h(
      'p',
      { class: 'intro' },
      'What Prometheus scraped from each service, read through ',
      h('code', null, 'GET /api/monitoring/overview'),
      ' every 5 s while this is open. Stop a container and watch its row within a scrape or two.',
    ),
    adminsOnly,
    problem,
    graphs,
    statusLine,
  );
  let admin = false;
  const sync = (): void => {
    if (admin && panel.open) poller.start({ now: true });
    else poller.stop();
  };
  panel.addEventListener('toggle', sync);
  session.watch((state) => {
    generation += 1;
    admin = state.kind === 'signed-in' && state.user.role === 'admin';
    adminsOnly.hidden = admin;
    if (!admin) {
      // Another session's graphs are not this one's to see.
      graphs.hidden = true;
      problem.replaceChildren();
      lastSuccess = undefined;
      failure = undefined;
      statusLine.hidden = true;
    }
    sync();
  });
  setInterval(() => {
    if (!document.hidden && !statusLine.hidden) describe();
  }, 1000);
  return panel;
}
