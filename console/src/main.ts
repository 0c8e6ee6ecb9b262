// Wires the panels into the page. Each panel owns its part of the DOM and talks to the
// API only through api.ts.

import './styles.css';
import './architecture.css';
import './request-log.css';
import { architecturePanel } from './architecture';
import { h } from './dom';
import { experimentsPanel } from './experiments';
import { API_REFERENCE_URL } from './links';
import { requestLogPanel } from './request-log';
import { shopPanel } from './shop';

function mount(id: string, ...panels: HTMLElement[]): void {
  document.getElementById(id)?.append(...panels);
}

if (API_REFERENCE_URL) {
  document.querySelector('.site-header')?.append(h('nav', { 'aria-label': 'Documentation' }, h('a', { href: API_REFERENCE_URL }, 'API')));
}

// The log first, so it hears the very first requests the other panels make.
const log = requestLogPanel();
mount('layout-main', architecturePanel(), shopPanel(), experimentsPanel());
mount('layout-side', log);
