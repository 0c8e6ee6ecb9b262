import { describe, expect, it } from 'vitest';
import { requestFingerprint } from './idempotency.js';

describe('requestFingerprint', () => {
  const userId = '0190f2d4-7b1c-7cc3-8e5a-3f9b1f4d2a11';
  const a = { productId: '0190f2d4-0000-7000-8000-000000000001', quantity: 1 };
  const b = { productId: '0190f2d4-0000-7000-8000-000000000002', quantity: 2 };

  it('ignores the order of items', () => {
    expect(requestFingerprint({ userId, items: [a, b] })).toBe(requestFingerprint({ userId, items: [b, a] }));
  });

  it('changes with any quantity', () => {
    expect(requestFingerprint({ userId, items: [a] })).not.toBe(requestFingerprint({ userId, items: [{ ...a, quantity: 2 }] }));
  });
});
