// The chosen customer's orders, newest first; re-read when an order is placed.

import { request } from './api';
import type { Order, Page } from './api-types';
import { h, show } from './dom';
import { formatDate, formatEuros, shortId } from './format';
import { customer, on, shop } from './shop-state';
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

export function ordersCard(): HTMLElement {
  const heading = h('p', { class: 'hint', 'data-field': 'orders-of' });
  const list = h('ol', { class: 'orders', 'aria-label': 'Orders of the chosen customer' });
  const result = resultArea('orders');
  let generation = 0;

  const load = async (): Promise<void> => {
    const user = customer();
    const mine = ++generation;
    if (!user) {
      show(heading, 'Choose a customer to see their orders.');
      list.replaceChildren();
      return;
    }
    show(heading, `Orders of ${user.name}, newest first (GET /api/orders?userId=…&limit=20).`);
    const response = await request<Page<Order>>('GET', `/api/orders?userId=${encodeURIComponent(shop.customerId)}&limit=20`);
    if (mine !== generation) return; // the customer changed while this was on its way
    if (!response.data) return showProblem(result, response.record);
    result.replaceChildren();
    const { items, total } = response.data;
    if (items.length === 0) show(list, h('li', { class: 'empty' }, 'No orders yet.'));
    else show(list, items.map(orderItem));
    if (total > items.length) list.append(h('li', { class: 'empty' }, `…and ${total - items.length} older.`));
  };

  on('customer', () => void load());
  on('order-placed', () => void load());
  show(heading, 'Choose a customer to see their orders.');

  return card(
    'Orders',
    'card-orders',
    heading,
    h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => void load() }, 'See orders')),
    result,
    list,
  );
}
