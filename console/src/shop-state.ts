// What the shop's panels share: the products seen so far, whose orders are shown. Panels
// talk through these events instead of calling each other; who is signed in comes from the
// session (auth.ts).

import type { Product, User } from './api-types';

export interface ShopEvents {
  /** Products were added to or changed in the catalogue. */
  catalogue: undefined;
  /** A product was created: the product list re-reads its first page. */
  'product-created': undefined;
  /** A product was changed: the product list re-reads its page. */
  'product-changed': undefined;
  /** "Edit" was pressed in the product list (admins). */
  'edit-product': string;
  /** The orders list shows someone else's orders, or the caller's own again (admins). */
  'orders-of': undefined;
  /** An order was placed (201): the orders list re-reads. */
  'order-placed': undefined;
  /** "Add to order" was pressed in the product list. */
  'add-to-order': string;
}

type Handler<T> = (detail: T) => void;
const handlers = new Map<keyof ShopEvents, Set<Handler<never>>>();

export function on<K extends keyof ShopEvents>(event: K, handler: Handler<ShopEvents[K]>): void {
  const set = handlers.get(event) ?? new Set();
  set.add(handler as Handler<never>);
  handlers.set(event, set);
}

export function emit<K extends keyof ShopEvents>(event: K, ...[detail]: ShopEvents[K] extends undefined ? [] : [ShopEvents[K]]): void {
  for (const handler of handlers.get(event) ?? []) (handler as Handler<ShopEvents[K] | undefined>)(detail);
}

export const shop = {
  /** Every product read so far, by id: what the order lines and the product editor choose from. */
  catalogue: new Map<string, Product>(),
  /** Whose orders the orders list shows when not the caller's own (an admin's choice). */
  ordersOf: undefined as User | undefined,
};

/** Merges products into the catalogue; tells the panels only when names or prices changed. */
export function rememberProducts(products: readonly Product[]): void {
  let changed = false;
  for (const product of products) {
    const known = shop.catalogue.get(product.id);
    if (!known || known.name !== product.name || known.priceCents !== product.priceCents) changed = true;
    shop.catalogue.set(product.id, product);
  }
  if (changed) emit('catalogue');
}

/** Shows `user`'s orders in the orders list; undefined for the caller's own. */
export function showOrdersOf(user: User | undefined): void {
  shop.ordersOf = user;
  emit('orders-of');
}
