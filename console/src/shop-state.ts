// What the shop's panels share: the users, the products seen so far, the chosen customer.
// Panels talk through these events instead of calling each other.

import type { Product, User } from './api-types';

export interface ShopEvents {
  /** The list of users was (re)loaded. */
  users: undefined;
  /** Products were added to or changed in the catalogue. */
  catalogue: undefined;
  /** A product was created: the product list re-reads its page. */
  'product-created': undefined;
  /** The customer chosen in the Customers panel changed ('' for none). */
  customer: undefined;
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
  users: [] as User[],
  /** Every product read so far, by id: what the order lines can choose from. */
  catalogue: new Map<string, Product>(),
  customerId: '',
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

export function customer(): User | undefined {
  return shop.users.find((user) => user.id === shop.customerId);
}
