import type { ReservedLine } from '@shopstack/api-contract';

export interface OrderLine extends ReservedLine {
  lineTotalCents: number;
}

/**
 * The total is computed here from the reserved prices, never taken from the client.
 * Integer cents throughout: no floating-point rounding in money.
 */
export function priceOrder(lines: readonly ReservedLine[]): { items: OrderLine[]; totalCents: number } {
  const items = lines.map((line) => ({ ...line, lineTotalCents: line.quantity * line.unitPriceCents }));
  return { items, totalCents: items.reduce((total, item) => total + item.lineTotalCents, 0) };
}
