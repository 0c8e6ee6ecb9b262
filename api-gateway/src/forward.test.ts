import { describe, expect, it } from 'vitest';
import { pathUnder } from './forward.js';

describe('pathUnder', () => {
  it('keeps paths and queries under the base path', () => {
    expect(pathUnder('/products', '')).toBe('/products');
    expect(pathUnder('/products', '/42?limit=1')).toBe('/products/42?limit=1');
    expect(pathUnder('/products', '?limit=1&offset=2')).toBe('/products?limit=1&offset=2');
  });

  it.each(['/../reservations/1', '/%2e%2e/reservations/1', '/%2E%2E/reservations/1', '/.%2e/reservations', '\\..\\reservations', '/x/../../orders'])(
    'refuses %s, which would leave /products',
    (rest) => {
      expect(pathUnder('/products', rest)).toBeUndefined();
    },
  );

  it('normalises dot segments that stay inside', () => {
    expect(pathUnder('/products', '/a/../42')).toBe('/products/42');
  });

  it('does not mistake a longer name for the base path', () => {
    expect(pathUnder('/products', 'x/1')).toBeUndefined();
  });
});
