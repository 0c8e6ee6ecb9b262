import { describe, expect, it } from 'vitest';
import { priceOrder } from './orders.pricing.js';

describe('priceOrder', () => {
  it('multiplies each line and sums the total in integer cents', () => {
    const priced = priceOrder([
      { productId: 'a', name: 'Mug', quantity: 3, unitPriceCents: 1999 },
      { productId: 'b', name: 'Tea', quantity: 1, unitPriceCents: 450 },
    ]);
    expect(priced.items.map((item) => item.lineTotalCents)).toEqual([5997, 450]);
    expect(priced.totalCents).toBe(6447);
  });

  it('stays exact where floating-point dollars would not (0.1 + 0.2)', () => {
    const priced = priceOrder([
      { productId: 'a', name: 'A', quantity: 1, unitPriceCents: 10 },
      { productId: 'b', name: 'B', quantity: 1, unitPriceCents: 20 },
    ]);
    expect(priced.totalCents).toBe(30);
  });

  it('handles the largest order the schema allows without losing precision', () => {
    const lines = Array.from({ length: 50 }, (_, i) => ({ productId: `p${i}`, name: 'Max', quantity: 1000, unitPriceCents: 100_000_000 }));
    expect(priceOrder(lines).totalCents).toBe(5_000_000_000_000);
  });
});
