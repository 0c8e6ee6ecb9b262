// The editable lines of the order form: a product and a quantity each, at least one line.

import { h, hidden, setText } from './dom';
import { formatEuros } from './format';
import { shop } from './shop-state';
import { field } from './ui';

export interface OrderItemInput {
  productId: string;
  quantity: number;
}

interface Line {
  el: HTMLLIElement;
  product: HTMLSelectElement;
  quantity: HTMLInputElement;
  remove: HTMLButtonElement;
  labels: HTMLElement[];
}

export class OrderLines {
  readonly el = h('ol', { class: 'order-lines' });
  private lines: Line[] = [];

  constructor() {
    this.add();
  }

  add(productId = ''): Line {
    const product = h('select', { name: 'product', 'data-field': 'product' });
    const quantity = h('input', { type: 'number', name: 'quantity', min: 1, max: 1000, step: 1, value: '1', inputmode: 'numeric', 'data-field': 'quantity' });
    const labels = [hidden(''), hidden(''), hidden('')];
    const remove = h('button', { type: 'button', class: 'remove' }, 'Remove', labels[2]);
    const el = h('li', { class: 'order-line' }, field(['Product', labels[0]], product), field(['Quantity', labels[1]], quantity), remove);
    const line: Line = { el, product, quantity, remove, labels };
    remove.addEventListener('click', () => this.remove(line));
    this.lines.push(line);
    this.el.append(el);
    this.fillOptions(line);
    product.value = productId;
    this.renumber();
    return line;
  }

  /** Adds one of `productId`: one more of it on its line, else an empty line, else a new line. */
  addProduct(productId: string): number {
    const existing = this.lines.find((line) => line.product.value === productId);
    if (existing) existing.quantity.value = String(Math.min(1000, (Number(existing.quantity.value) || 0) + 1));
    const empty = this.lines.find((line) => line.product.value === '');
    if (!existing && empty) empty.product.value = productId;
    const line = existing ?? empty ?? this.add(productId);
    return this.lines.indexOf(line) + 1;
  }

  items(): OrderItemInput[] {
    return this.lines
      .filter((line) => line.product.value !== '')
      .map((line) => ({ productId: line.product.value, quantity: Number(line.quantity.value) }));
  }

  reset(): void {
    for (const line of this.lines) line.el.remove();
    this.lines = [];
    this.add();
  }

  /** Re-reads the product choices from the catalogue, keeping what each line has chosen. */
  refreshOptions(): void {
    for (const line of this.lines) this.fillOptions(line);
  }

  private remove(line: Line): void {
    if (this.lines.length === 1) return;
    const index = this.lines.indexOf(line);
    this.lines.splice(index, 1);
    line.el.remove();
    this.renumber();
    // Focus would otherwise fall back to the page's start.
    (this.lines[Math.min(index, this.lines.length - 1)]?.product ?? this.el).focus();
  }

  private fillOptions(line: Line): void {
    const chosen = line.product.value;
    const products = [...shop.catalogue.values()].sort((a, b) => a.name.localeCompare(b.name));
    const options = products.map((p) => h('option', { value: p.id }, `${p.name} (${formatEuros(p.priceCents)})`));
    line.product.replaceChildren(h('option', { value: '' }, products.length ? 'Choose a product' : 'No products yet'), ...options);
    line.product.value = chosen;
  }

  // Accessible names say which line ("Product, line 2", "Remove line 2"); one line must stay.
  private renumber(): void {
    this.lines.forEach((line, i) => {
      line.el.dataset['orderLine'] = String(i + 1);
      const [product, quantity, remove] = line.labels;
      if (product) setText(product, `, line ${i + 1}`);
      if (quantity) setText(quantity, `, line ${i + 1}`);
      if (remove) setText(remove, ` line ${i + 1}`);
      line.remove.disabled = this.lines.length === 1;
    });
  }
}
