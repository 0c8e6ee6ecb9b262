import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from './app-error.js';
import { toAppError } from './to-app-error.js';

describe('toAppError', () => {
  it('keeps an AppError as it is', () => {
    const error = AppError.conflict('taken', 'Taken');
    expect(toAppError(error)).toBe(error);
  });

  it('turns a validation error into a 400 listing every field', () => {
    const schema = z.object({ a: z.string(), b: z.object({ c: z.number() }) });
    const result = schema.safeParse({ a: 1, b: { c: 'x' } });
    expect(toAppError(result.error)).toMatchObject({
      status: 400,
      code: 'validation_failed',
      details: [
        { field: 'a', message: expect.any(String) },
        { field: 'b.c', message: expect.any(String) },
      ],
    });
  });

  it('names each unknown key as a field, and says a missing field is required', () => {
    const schema = z.object({ a: z.string(), b: z.object({ c: z.number() }).strict() }).strict();
    const result = schema.safeParse({ b: { c: 1, d: 2 }, e: 3, f: 4 });
    expect(toAppError(result.error).details).toEqual([
      { field: 'a', message: 'is required' },
      { field: 'b.d', message: 'is not allowed' },
      { field: 'e', message: 'is not allowed' },
      { field: 'f', message: 'is not allowed' },
    ]);
  });

  it('maps body parser failures to 400, 413 and 415', () => {
    const bodyError = (type: string) => Object.assign(new Error(type), { type, status: 400 });
    expect(toAppError(bodyError('entity.parse.failed'))).toMatchObject({ status: 400, code: 'invalid_json' });
    expect(toAppError(bodyError('entity.too.large'))).toMatchObject({ status: 413, code: 'payload_too_large' });
    expect(toAppError(bodyError('charset.unsupported'))).toMatchObject({ status: 415 });
  });

  it('hides anything else behind a 500', () => {
    expect(toAppError(new TypeError('x is undefined'))).toMatchObject({ status: 500, code: 'internal_error', message: 'Internal server error' });
    expect(toAppError('a string')).toMatchObject({ status: 500 });
  });
});
