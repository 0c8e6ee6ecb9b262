import { describe, expect, it } from 'vitest';
import { AppError } from '@shopstack/errors';
import type { ServiceClient } from '@shopstack/http-client';
import { createProductsClient } from './products.client.js';

describe('mayHaveReserved', () => {
  const { mayHaveReserved } = createProductsClient({} as ServiceClient, () => Promise.reject(new Error('not called')));

  it('tells the stock of a failed reservation to be given back only when products may have taken it', () => {
    expect(mayHaveReserved(AppError.conflict('insufficient_stock', 'Not enough stock'))).toBe(false);
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(mayHaveReserved(AppError.unavailable('service_unavailable', 'products is unavailable', 1, refused))).toBe(false);
    expect(mayHaveReserved(new AppError(502, 'bad_gateway', 'products answered 500 to a reservation'))).toBe(true);
  });
});
