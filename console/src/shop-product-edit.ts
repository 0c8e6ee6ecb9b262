// Change a product (admins): choose it here or with Edit in the product list; only the
// fields that differ from the product as it was when chosen are sent (PATCH
// /api/products/:id), so a stock the shop changed meanwhile is not overwritten.

import { request } from './api';
import type { Product } from './api-types';
import { h } from './dom';
import { formatEuros, parseEuros } from './format';
import { emit, on, rememberProducts, shop } from './shop-state';
import { card, field, oneAtATime, resultArea, showNote, showProblem, showSuccess } from './ui';

/** 1250 → "12.50": the price field's text for a price in cents. */
function eurosText(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

export function productEditCard(): HTMLElement {
  const product = h('select', { name: 'product', 'data-select': 'edit-product' });
  const name = h('input', { type: 'text', name: 'name', autocomplete: 'off' });
  const description = h('input', { type: 'text', name: 'description', autocomplete: 'off' });
  const price = h('input', { type: 'text', name: 'price', inputmode: 'decimal', autocomplete: 'off' });
  const stock = h('input', { type: 'number', name: 'stock', min: 0, step: 1, inputmode: 'numeric' });
  const fields = h(
    'fieldset',
    { class: 'form', disabled: true },
    h('legend', { class: 'visually-hidden' }, 'New values'),
    field('Product name', name),
    field('Description (empty clears it)', description),
    h('div', { class: 'field-row' }, field('Price in euros', price), field('Stock', stock)),
  );
  const result = resultArea('change-product');
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Save changes');

  /** The product as it was when chosen (or last saved): what the fields are compared with. */
  let base: Product | undefined;
  const fill = (): void => {
    const current = shop.catalogue.get(product.value);
    base = current;
    fields.disabled = !current;
    name.value = current?.name ?? '';
    description.value = current?.description ?? '';
    price.value = current ? eurosText(current.priceCents) : '';
    stock.value = current ? String(current.stock) : '';
  };
  const renderOptions = (): void => {
    const selected = product.value;
    const options = [...shop.catalogue.values()]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((p) => h('option', { value: p.id }, `${p.name} (${formatEuros(p.priceCents)})`));
    product.replaceChildren(h('option', { value: '' }, options.length ? 'Choose a product' : 'No products yet'), ...options);
    product.value = shop.catalogue.has(selected) ? selected : '';
  };

  /** What differs from the product as last read; a string when the price cannot be read. */
  const patch = (current: Product): Record<string, unknown> | string => {
    const out: Record<string, unknown> = {};
    if (name.value.trim() !== current.name) out['name'] = name.value.trim();
    const text = description.value.trim();
    if (text !== (current.description ?? '')) out['description'] = text === '' ? null : text;
    const cents = parseEuros(price.value);
    if (cents === undefined) return 'Price: type euros with at most two decimals, such as 12.50.';
    if (cents !== current.priceCents) out['priceCents'] = cents;
    if (stock.value.trim() !== String(current.stock)) out['stock'] = stock.value.trim() === '' ? null : Number(stock.value);
    return out;
  };

  const form = h(
    'form',
    { class: 'form', novalidate: true, 'data-form': 'change-product' },
    field('Product', product, 'Or press Edit beside a product in the list.'),
    fields,
    h('div', { class: 'actions' }, submit),
  );
  const run = oneAtATime(result, submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const current = base;
    if (!current) return showNote(result, 'Choose a product first.');
    const body = patch(current);
    if (typeof body === 'string') return showNote(result, body);
    if (Object.keys(body).length === 0) return showNote(result, 'Nothing changed.');
    run(async () => {
      const response = await request<Product>('PATCH', `/api/products/${current.id}`, { body });
      if (!response.data) return showProblem(result, response.record);
      const saved = response.data;
      rememberProducts([saved]);
      fill();
      showSuccess(result, `changed ${Object.keys(body).join(', ')} of ${saved.name}: ${formatEuros(saved.priceCents)}, stock ${saved.stock}.`);
      emit('product-changed');
    });
  });
  product.addEventListener('change', () => {
    fill();
    result.replaceChildren();
  });
  on('catalogue', renderOptions);
  on('edit-product', (id) => {
    renderOptions();
    product.value = id;
    fill();
    result.replaceChildren();
    name.focus();
  });

  renderOptions();
  return card('Change a product', 'card-edit-product', form, result);
}
