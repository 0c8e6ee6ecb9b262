import { describe, expect, it } from 'vitest';
import { isPublicRoute } from './access.js';

describe('isPublicRoute', () => {
  it.each([
    ['GET', '/products'],
    ['GET', '/products?limit=5'],
    ['HEAD', '/products/0190f2d4-7b1c-7cc3-8e5a-3f9b1f4d2a11'],
    ['OPTIONS', '/products/42'],
    ['GET', '/products/'],
    ['POST', '/users'],
  ])('lets anyone %s %s', (method, path) => {
    expect(isPublicRoute(method, path)).toBe(true);
  });

  it.each([
    ['POST', '/products'],
    ['PATCH', '/products/42'],
    ['GET', '/products/42/anything'],
    ['GET', '/users'],
    ['GET', '/users/me'],
    ['GET', '/users/42'],
    ['OPTIONS', '/users'],
    ['POST', '/orders'],
    ['GET', '/orders'],
    ['GET', '/orders/42'],
  ])('asks for a token to %s %s', (method, path) => {
    expect(isPublicRoute(method, path)).toBe(false);
  });
});
