// Products: a paged list with Read (GET /api/products/:id, to watch X-Cache go miss → hit →
// stale), Add to order (signed in) and Edit (admins). Auto-refresh re-reads the page every
// 2 s: that steady traffic is what trips the gateway's circuit breaker on screen when
// products is stopped. Anyone may read the catalogue.

import { problemText, request, type LogMode } from './api';
import type { Page, Product } from './api-types';
import { session } from './auth';
import { h, setText } from './dom';
import { formatEuros } from './format';
import { roleOf } from './session';
import { emit, on, rememberProducts } from './shop-state';
import { card, field, resultArea, showProblem, showSuccess } from './ui';
import { visibleLoop } from './visible-loop';

const PAGE_SIZE = 10;
const REFRESH_MS = 2000;

interface Row {
  el: HTMLLIElement;
  name: HTMLElement;
  price: HTMLElement;
  stock: HTMLElement;
  read: HTMLButtonElement;
  add: HTMLButtonElement;
  edit: HTMLButtonElement;
}

/** Each button's name says which product it acts on, and starts with its visible text. */
function label(row: Row, name: string): void {
  row.read.setAttribute('aria-label', `Read ${name}`);
  row.add.setAttribute('aria-label', `Add to order: ${name}`);
  row.edit.setAttribute('aria-label', `Edit ${name}`);
}

/** Shows each row the buttons its viewer may use. */
function fitRole(row: Row): void {
  const role = roleOf(session.state());
  row.add.hidden = role !== 'customer' && role !== 'admin';
  row.edit.hidden = role !== 'admin';
}

export function productListCard(): HTMLElement {
  const list = h('ul', { class: 'product-list', 'aria-label': 'Products on this page' });
  const range = h('p', { class: 'pager-range', 'data-field': 'range' }, 'Loading…');
  const previous = h('button', { type: 'button', disabled: true }, 'Previous');
  const next = h('button', { type: 'button', disabled: true }, 'Next');
  const refreshState = h('p', { class: 'hint', 'data-field': 'refresh-state' });
  const readResult = resultArea('read-product');
  const auto = h('input', { type: 'checkbox', checked: true, 'data-toggle': 'auto-refresh' });
  const rows = new Map<string, Row>();
  let offset = 0;
  let generation = 0;

  const rowFor = (product: Product): Row => {
    const known = rows.get(product.id);
    if (known) return known;
    const name = h('span', { class: 'product-name' });
    const price = h('span', { class: 'product-price' });
    const stock = h('span', { class: 'product-stock' });
    const read = h('button', { type: 'button', onclick: () => void readProduct(product.id) }, 'Read');
    const add = h('button', { type: 'button', onclick: () => emit('add-to-order', product.id) }, 'Add to order');
    const edit = h('button', { type: 'button', onclick: () => emit('edit-product', product.id) }, 'Edit');
    const el = h(
      'li',
      { class: 'product', 'data-product-id': product.id },
      h('div', { class: 'product-text' }, name, h('span', { class: 'product-meta' }, price, ' · ', stock)),
      h('div', { class: 'product-actions' }, read, add, edit),
    );
    const row = { el, name, price, stock, read, add, edit };
    fitRole(row);
    rows.set(product.id, row);
    return row;
  };

  const render = (page: Page<Product>): void => {
    const wanted = page.items.map((product) => {
      const row = rowFor(product);
      if (row.name.textContent !== product.name) label(row, product.name);
      setText(row.name, product.name);
      setText(row.price, formatEuros(product.priceCents));
      setText(row.stock, `stock ${product.stock}`);
      return row.el;
    });
    // Re-order only when the page changed: moving a focused button would drop its focus.
    const same = wanted.length === list.children.length && wanted.every((el, i) => list.children[i] === el);
    if (!same) {
      const focused = document.activeElement;
      list.replaceChildren(...wanted);
      if (focused instanceof HTMLElement && list.contains(focused)) focused.focus();
    }
    for (const [id, row] of rows) if (!row.el.isConnected) rows.delete(id);
    const first = page.total === 0 ? 0 : page.offset + 1;
    const last = page.offset + page.items.length;
    setText(range, page.total === 0 ? 'No products yet: create one.' : `items ${first}–${last} of ${page.total}`);
    previous.disabled = page.offset === 0;
    next.disabled = last >= page.total;
  };

  const load = async (mode: LogMode): Promise<void> => {
    const mine = ++generation;
    const result = await request<Page<Product>>('GET', `/api/products?limit=${PAGE_SIZE}&offset=${offset}`, { log: mode });
    if (mine !== generation) return; // a newer load (paging) has overtaken this one
    if (result.data) {
      rememberProducts(result.data.items);
      render(result.data);
      setText(refreshState, mode === 'background' ? `Refreshed at ${new Date().toLocaleTimeString('en-GB')}.` : '');
    } else if (mode === 'background') {
      setText(refreshState, `Refresh failed at ${new Date().toLocaleTimeString('en-GB')}: ${problemText(result.record)}. Showing the last list.`);
    } else showProblem(readResult, result.record);
  };

  const readProduct = async (id: string): Promise<void> => {
    const result = await request<Product>('GET', `/api/products/${id}`);
    if (!result.data) return showProblem(readResult, result.record);
    const product = result.data;
    rememberProducts([product]);
    const { cache, age } = result.record;
    showSuccess(
      readResult,
      `read ${product.name}: ${formatEuros(product.priceCents)}, stock ${product.stock}. `,
      h('strong', { 'data-field': 'x-cache' }, `X-Cache: ${cache ?? 'none'}`),
      age !== undefined ? ` (Age ${age} s)` : '',
    );
  };

  const page = (delta: number): void => {
    offset = Math.max(0, offset + delta * PAGE_SIZE);
    void load('foreground');
  };
  previous.addEventListener('click', () => page(-1));
  next.addEventListener('click', () => page(1));

  const refresher = visibleLoop(() => load('background'), REFRESH_MS);
  auto.addEventListener('change', () => (auto.checked ? refresher.start() : refresher.stop()));
  // The list is newest first: a product just created is at the top of the first page.
  on('product-created', () => {
    offset = 0;
    void load('foreground');
  });
  on('product-changed', () => void load('foreground'));
  session.watch(() => {
    for (const row of rows.values()) fitRole(row);
  });
  void load('foreground').then(() => {
    if (auto.checked) refresher.start();
  });

  return card(
    'Products',
    'card-products',
    h(
      'div',
      { class: 'toolbar' },
      field(
        ['Auto-refresh every 2 s'],
        auto,
        'Steady traffic: when products is stopped, these reads open the gateway’s circuit breaker within seconds. Logged only with “Show background requests”.',
      ),
      refreshState,
    ),
    list,
    h('nav', { class: 'pager', 'aria-label': 'Product pages' }, previous, range, next),
    readResult,
  );
}
