import { createHash } from 'node:crypto';
import type { CreateOrderInput } from '@shopstack/api-contract';

/** A line as the products service reserved it, at the price it had then. */
export interface ReservedLine {
  productId: string;
  name: string;
  quantity: number;
  unitPriceCents: number;
}

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

/** Same order request, same fingerprint, whatever the order of its items. */
export function requestFingerprint(input: CreateOrderInput): string {
  const items = [...input.items].sort((a, b) => a.productId.localeCompare(b.productId)).map((i) => [i.productId, i.quantity]);
  return createHash('sha256').update(JSON.stringify([input.userId, items])).digest('hex');
}
