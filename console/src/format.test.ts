import { describe, expect, it } from 'vitest';
import { formatEuros, parseEuros, shortId } from './format';

describe('parseEuros', () => {
  it.each([
    ['12.50', 1250],
    ['12.5', 1250],
    ['12,05', 1205],
    ['12', 1200],
    [' €0.99 ', 99],
    ['0', 0],
  ])('reads %s as %i cents', (text, cents) => {
    expect(parseEuros(text)).toBe(cents);
  });

  it.each(['', 'abc', '-1', '1.234', '1e3', '12.', '.5'])('refuses %j', (text) => {
    expect(parseEuros(text)).toBeUndefined();
  });

  it('never goes through floats (0.29 is 29 cents, not 28.999…)', () => {
    expect(parseEuros('0.29')).toBe(29);
    expect(parseEuros('1.15')).toBe(115);
  });
});

describe('formatEuros and shortId', () => {
  it('shows cents as euros with two decimals', () => {
    expect(formatEuros(1250)).toBe('€12.50');
    expect(formatEuros(5)).toBe('€0.05');
  });

  it('shortens a UUID to its first block', () => {
    expect(shortId('1a2b3c4d-0000-4000-8000-000000000000')).toBe('1a2b3c4d');
    expect(shortId('abc')).toBe('abc');
  });
});
