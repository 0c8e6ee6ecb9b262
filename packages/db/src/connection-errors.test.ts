import { describe, expect, it } from 'vitest';
import { isConnectionError } from './connection-errors.js';

describe('isConnectionError', () => {
  it('recognises an unreachable or lost database', () => {
    expect(isConnectionError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isConnectionError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionError(new Error('Query read timeout'))).toBe(true);
    expect(isConnectionError(Object.assign(new Error('shutting down'), { code: '57P01' }))).toBe(true);
    expect(isConnectionError(Object.assign(new Error('no connection'), { code: '08006' }))).toBe(true);
  });

  it('leaves query errors and non-errors alone', () => {
    expect(isConnectionError(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isConnectionError(new TypeError('x is undefined'))).toBe(false);
    expect(isConnectionError('Connection terminated')).toBe(false);
  });
});
