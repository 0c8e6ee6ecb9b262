// "The shop": the cards that drive the API, in one section. Each card shows to the roles
// that may use it; the API enforces the same rules whatever the page shows.

import type { Role } from './api-types';
import { session } from './auth';
import { h } from './dom';
import { roleOf } from './session';
import { accountCard } from './shop-account';
import { orderFormCard } from './shop-order-form';
import { ordersCard } from './shop-orders';
import { productEditCard } from './shop-product-edit';
import { productFormCard } from './shop-product-form';
import { productListCard } from './shop-product-list';
import { usersCard } from './shop-users';

type Viewer = Role | 'anonymous' | 'checking';

const SIGNED_IN: readonly Viewer[] = ['customer', 'admin'];
const ADMIN: readonly Viewer[] = ['admin'];

/** Hides `el` from everyone but `viewers`. */
function shownTo(viewers: readonly Viewer[], el: HTMLElement): HTMLElement {
  session.watch((state) => {
    el.hidden = !viewers.includes(roleOf(state));
  });
  return el;
}

export function shopPanel(): HTMLElement {
  // The order form subscribes to the catalogue before the lists start loading it.
  const order = orderFormCard();
  const orders = ordersCard();
  return h(
    'section',
    { class: 'panel panel-shop', id: 'shop', 'aria-labelledby': 'shop-title' },
    h('h2', { id: 'shop-title' }, 'The shop'),
    h('p', { class: 'intro' }, 'Everything here goes through nginx and the gateway; each request lands in the request log.'),
    h(
      'div',
      { class: 'shop-grid' },
      shownTo(['anonymous', 'checking'], accountCard()),
      shownTo(ADMIN, productFormCard()),
      shownTo(ADMIN, productEditCard()),
      productListCard(),
      shownTo(SIGNED_IN, order),
      shownTo(SIGNED_IN, orders),
      shownTo(ADMIN, usersCard()),
    ),
  );
}
