import { describe, expect, it } from 'vitest';
import { createOrderBody, idempotencyKeyHeader } from './orders.js';

const userId = '0190f2d4-7b1c-7cc3-8e5a-3f9b1f4d2a11';
const productId = '0190f2d4-0000-7000-8000-000000000001';

describe('createOrderBody', () => {
  it('accepts a user and 1 to 50 distinct items', () => {
    expect(createOrderBody.safeParse({ userId, items: [{ productId, quantity: 3 }] }).success).toBe(true);
  });

  it.each([
    ['no items', { userId, items: [] }, 'items'],
    ['a zero quantity', { userId, items: [{ productId, quantity: 0 }] }, 'items.0.quantity'],
    ['a huge quantity', { userId, items: [{ productId, quantity: 1_000_000 }] }, 'items.0.quantity'],
    ['a fractional quantity', { userId, items: [{ productId, quantity: 1.5 }] }, 'items.0.quantity'],
    ['a quantity as a string', { userId, items: [{ productId, quantity: '1' }] }, 'items.0.quantity'],
    ['a repeated product', { userId, items: [{ productId, quantity: 1 }, { productId, quantity: 2 }] }, 'items'],
    ['a bad user id', { userId: 7, items: [{ productId, quantity: 1 }] }, 'userId'],
    ['a client-side total', { userId, items: [{ productId, quantity: 1 }], totalCents: 1 }, ''],
  ])('refuses %s', (_name, body, field) => {
    const result = createOrderBody.safeParse(body);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(field);
  });
});

describe('idempotencyKeyHeader', () => {
  it('is optional and accepts UUID-like keys', () => {
    expect(idempotencyKeyHeader.parse(undefined)).toBeUndefined();
    expect(idempotencyKeyHeader.parse('order-2026-11-25:abc_1')).toBe('order-2026-11-25:abc_1');
  });

  it('refuses empty, spaced, non-ASCII and over-long keys', () => {
    for (const key of ['', 'a b', 'clé', 'k'.repeat(256)]) expect(idempotencyKeyHeader.safeParse(key).success, key).toBe(false);
  });
});
