// "The shop": the four cards that drive the API, in one section.

import { h } from './dom';
import { orderFormCard } from './shop-order-form';
import { ordersCard } from './shop-orders';
import { productFormCard } from './shop-product-form';
import { productListCard } from './shop-product-list';
import { usersCard } from './shop-users';

export function shopPanel(): HTMLElement {
  // The order form subscribes to the catalogue before the lists start loading it.
  const order = orderFormCard();
  const orders = ordersCard();
  return h(
    'section',
    { class: 'panel panel-shop', id: 'shop', 'aria-labelledby': 'shop-title' },
    h('h2', { id: 'shop-title' }, 'The shop'),
    h('p', { class: 'intro' }, 'Everything here goes through nginx and the gateway; each request lands in the request log.'),
    h('div', { class: 'shop-grid' }, usersCard(), productFormCard(), productListCard(), order, orders),
  );
}
