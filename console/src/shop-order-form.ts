// Place an order, with an Idempotency-Key (uuid v4: crypto.randomUUID exists only in secure
// contexts, and the page may be opened over plain http). "Send again" resends exactly the
// same request with the same key, so the person sees the order replayed, not doubled. The
// order is always the signed-in person's: the body names no user, the token says who.

import { v4 as uuid } from 'uuid';
import { request } from './api';
import type { Order, Page, Product } from './api-types';
import { session } from './auth';
import { h, setText } from './dom';
import { formatEuros, shortId } from './format';
import { OrderLines } from './order-lines';
import { emit, on, rememberProducts, shop } from './shop-state';
import { card, oneAtATime, resultArea, showNote, showProblem, showSuccess } from './ui';

interface Attempt {
  key: string;
  body: { items: { productId: string; quantity: number }[] };
}

export function orderFormCard(): HTMLElement {
  const lines = new OrderLines();
  const who = h('p', { class: 'ordering-as', 'data-field': 'ordering-as' });
  const keyText = h('code', { 'data-field': 'idempotency-key' });
  const result = resultArea('place-order');
  const addLine = h('button', { type: 'button' }, 'Add line');
  const place = h('button', { type: 'button', class: 'primary' }, 'Place order');
  const again = h('button', { type: 'button', hidden: true }, 'Send again');
  const fresh = h('button', { type: 'button' }, 'New order');
  const fieldset = h('fieldset', { class: 'order-fieldset' }, h('legend', null, 'Order lines'), lines.el, h('div', { class: 'actions' }, addLine));
  const run = oneAtATime(result, place, again);
  let key = uuid();
  let last: Attempt | undefined;
  let firstOrderId: string | undefined;

  const setKey = (value: string): void => {
    key = value;
    firstOrderId = undefined;
    setText(keyText, value);
  };
  const lock = (locked: boolean): void => {
    // A focused button that gets disabled drops focus to the page: hand it to the next step.
    if (locked && document.activeElement === place) again.focus();
    fieldset.disabled = locked;
    place.disabled = locked;
  };

  const send = async (attempt: Attempt): Promise<void> => {
    last = attempt;
    again.hidden = false;
    const response = await request<Order>('POST', '/api/orders', { body: attempt.body, headers: { 'Idempotency-Key': attempt.key } });
    if (!response.data) return showProblem(result, response.record);
    const order = response.data;
    lock(true); // placed: changing it now would be a different order, so that takes "New order"
    if (response.record.replayed === 'true') {
      const same = firstOrderId === undefined || firstOrderId === order.id ? 'same order' : 'an order placed earlier with this key';
      showSuccess(
        result,
        h('strong', { 'data-field': 'replayed' }, `replayed: ${same}`),
        ` ${shortId(order.id)} (Idempotent-Replayed: true). No second order was created.`,
      );
    } else {
      showSuccess(
        result,
        `order `,
        h('code', { 'data-field': 'order-id' }, order.id),
        ` ${order.status}, total ${formatEuros(order.totalCents)}. Press Send again: the same key gives back this order.`,
      );
    }
    firstOrderId ??= order.id;
    emit('order-placed');
  };

  place.addEventListener('click', () => {
    if (place.getAttribute('aria-disabled')) return; // the last attempt is still on its way
    if (session.state().kind !== 'signed-in') return showNote(result, 'Log in to place an order.');
    const items = lines.items();
    if (items.length === 0) return showNote(result, 'Choose a product on at least one line.');
    const body = { items };
    // A changed form is a new order: it gets a new key (the old one would answer 422).
    if (last && JSON.stringify(last.body) !== JSON.stringify(body)) setKey(uuid());
    const attempt = { key, body };
    run(() => send(attempt));
  });
  again.addEventListener('click', () => {
    const attempt = last;
    if (attempt) run(() => send(attempt));
  });
  const startOver = (): void => {
    lines.reset();
    setKey(uuid());
    last = undefined;
    again.hidden = true;
    lock(false);
    result.replaceChildren();
  };
  fresh.addEventListener('click', startOver);
  addLine.addEventListener('click', () => {
    lines.add().product.focus();
  });

  session.watch((state) => {
    if (state.kind !== 'signed-in') return setText(who, 'Log in to place an order.');
    const { name, email } = state.user;
    setText(who, `Ordering as ${name} <${email}>: an order is always placed for whoever is signed in.`);
  });
  // Someone else signed in: the last order and its key were the previous person's.
  let owner: string | undefined;
  session.watch((state) => {
    const id = state.kind === 'signed-in' ? state.user.id : undefined;
    if (id !== owner && last) startOver();
    owner = id;
  });
  on('catalogue', () => lines.refreshOptions());
  on('add-to-order', (productId) => {
    if (place.disabled) fresh.click(); // the shown order is placed: this starts the next one
    const lineNumber = lines.addProduct(productId);
    showNote(result, `Added ${shop.catalogue.get(productId)?.name ?? 'the product'} to line ${lineNumber}.`);
  });

  // The lines choose from every product, not only the page the list shows.
  void request<Page<Product>>('GET', '/api/products?limit=100').then((r) => r.data && rememberProducts(r.data.items));
  setKey(key);

  return card(
    'Place an order',
    'card-order',
    who,
    fieldset,
    h('p', { class: 'idempotency' }, 'Idempotency-Key: ', keyText),
    h('p', { class: 'hint' }, 'A new order gets a new key. Send again repeats the last request with the same key.'),
    h('div', { class: 'actions' }, place, again, fresh),
    result,
  );
}
