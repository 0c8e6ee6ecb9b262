// New product: the price is typed in euros ("12.50") and sent as integer priceCents.

import { request } from './api';
import type { Product } from './api-types';
import { h } from './dom';
import { formatEuros, parseEuros } from './format';
import { emit, rememberProducts } from './shop-state';
import { card, field, oneAtATime, resultArea, showNote, showProblem, showSuccess } from './ui';

export function productFormCard(): HTMLElement {
  const name = h('input', { type: 'text', name: 'name', autocomplete: 'off', placeholder: 'Mug' });
  const description = h('input', { type: 'text', name: 'description', autocomplete: 'off' });
  const price = h('input', { type: 'text', name: 'price', inputmode: 'decimal', autocomplete: 'off', placeholder: '12.50' });
  const stock = h('input', { type: 'number', name: 'stock', min: 0, step: 1, inputmode: 'numeric', placeholder: '10' });
  const result = resultArea('create-product');
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Create product');

  const body = (): Record<string, unknown> | string => {
    const out: Record<string, unknown> = { name: name.value.trim() };
    if (description.value.trim() !== '') out['description'] = description.value.trim();
    // Left out when empty, so the API says what is missing; only a price we cannot read as
    // euros is refused here, since it cannot be turned into cents.
    if (price.value.trim() !== '') {
      const cents = parseEuros(price.value);
      if (cents === undefined) return 'Price: type euros with at most two decimals, such as 12.50.';
      out['priceCents'] = cents;
    }
    if (stock.value.trim() !== '') out['stock'] = Number(stock.value);
    return out;
  };

  const form = h(
    'form',
    { class: 'form', novalidate: true, 'data-form': 'create-product' },
    field('Product name', name),
    field('Description (optional)', description),
    h('div', { class: 'field-row' }, field('Price in euros', price), field('Stock', stock)),
    h('div', { class: 'actions' }, submit),
  );
  const run = oneAtATime(result, submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const payload = body();
    if (typeof payload === 'string') return showNote(result, payload);
    run(async () => {
      const response = await request<Product>('POST', '/api/products', { body: payload });
      if (!response.data) return showProblem(result, response.record);
      const product = response.data;
      rememberProducts([product]);
      showSuccess(result, `created ${product.name}, ${formatEuros(product.priceCents)}, stock ${product.stock}, id `, h('code', null, product.id));
      form.reset();
      emit('product-created');
    });
  });

  return card('New product', 'card-new-product', form, result);
}
