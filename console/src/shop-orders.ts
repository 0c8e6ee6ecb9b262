// The signed-in person's orders, newest first; re-read when an order is placed. An admin may
// look at anyone's (chosen in Users), and come back to their own.

import { request } from './api';
import type { Order, Page, User } from './api-types';
import { session } from './auth';
import { h, show } from './dom';
import { formatDate, formatEuros, shortId } from './format';
import { on, shop, showOrdersOf } from './shop-state';
import { card, resultArea, showProblem } from './ui';

function orderItem(order: Order): HTMLLIElement {
  return h(
    'li',
    { class: 'order', 'data-order-id': order.id },
    h(
      'p',
      { class: 'order-head' },
      h('code', { title: order.id }, shortId(order.id)),
      h('span', { class: 'order-total' }, formatEuros(order.totalCents)),
      h('span', { class: 'order-status' }, order.status),
      h('time', { dateTime: order.createdAt }, formatDate(order.createdAt)),
    ),
    h(
      'ul',
      { class: 'order-items' },
      order.items.map((item) =>
        h('li', null, `${item.quantity} × ${item.name} at ${formatEuros(item.unitPriceCents)} = ${formatEuros(item.lineTotalCents)}`),
      ),
    ),
  );
}

function signedIn(): User | undefined {
  const state = session.state();
  return state.kind === 'signed-in' ? state.user : undefined;
}

export function ordersCard(): HTMLElement {
  const heading = h('p', { class: 'hint', 'data-field': 'orders-of' });
  const list = h('ol', { class: 'orders', 'aria-label': 'Orders' });
  const result = resultArea('orders');
  const mine = h('button', { type: 'button', hidden: true, onclick: () => showOrdersOf(undefined) }, 'Back to my orders');
  let generation = 0;

  const clear = (): void => {
    generation += 1; // an answer on its way is for someone else now
    list.replaceChildren();
    result.replaceChildren();
  };

  const load = async (): Promise<void> => {
    const me = signedIn();
    clear();
    const current = generation;
    if (!me) {
      mine.hidden = true;
      return show(heading, 'Log in to see your orders.');
    }
    const other = shop.ordersOf && shop.ordersOf.id !== me.id ? shop.ordersOf : undefined;
    mine.hidden = !other;
    // Left out, userId is the caller: the API itself decides whose orders these are.
    const path = other ? `/api/orders?userId=${encodeURIComponent(other.id)}&limit=20` : '/api/orders?limit=20';
    show(heading, other ? `Orders of ${other.name} <${other.email}>` : 'Your orders', `, newest first (GET ${path.replace(/userId=[^&]+/, 'userId=…')}).`);
    const response = await request<Page<Order>>('GET', path);
    if (current !== generation) return;
    if (!response.data) return showProblem(result, response.record);
    const { items, total } = response.data;
    if (items.length === 0) show(list, h('li', { class: 'empty' }, 'No orders yet.'));
    else show(list, items.map(orderItem));
    if (total > items.length) list.append(h('li', { class: 'empty' }, `…and ${total - items.length} older.`));
  };

  on('orders-of', () => void load());
  // An order just placed is the caller's own: show those.
  on('order-placed', () => showOrdersOf(undefined));
  session.watch((state) => {
    if (state.kind === 'checking') return;
    shop.ordersOf = undefined; // whoever comes next starts with their own
    void load();
  });

  return card(
    'Orders',
    'card-orders',
    heading,
    h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => void load() }, 'See orders'), mine),
    result,
    list,
  );
}
