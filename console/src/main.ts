// Wires the panels into the page. Each panel owns its part of the DOM and talks to the
// API only through api.ts; who is signed in comes from auth.ts.

import './styles.css';
import './architecture.css';
import './request-log.css';
import './metrics.css';
import { architecturePanel } from './architecture';
import { startSession } from './auth';
import { h } from './dom';
import { experimentsPanel } from './experiments';
import { metricsPanel } from './metrics-panel';
import { API_REFERENCE_URL } from './links';
import { requestLogPanel } from './request-log';
import { sessionBar } from './session-bar';
import { shopPanel } from './shop';

function mount(id: string, ...panels: HTMLElement[]): void {
  document.getElementById(id)?.append(...panels);
}

document
  .querySelector('.site-header')
  ?.append(
    h('div', { class: 'site-header-side' }, API_REFERENCE_URL && h('nav', { 'aria-label': 'Documentation' }, h('a', { href: API_REFERENCE_URL }, 'API')), sessionBar()),
  );

// The log first, so it hears the very first requests the other panels make; then the
// session, so those requests wait for the refresh cookie's answer and carry the token.
const log = requestLogPanel();
startSession();
mount('layout-main', architecturePanel(), metricsPanel(), shopPanel(), experimentsPanel());
mount('layout-side', log);
