import { describe, expect, it } from 'vitest';
import { createUserBody } from './users.js';

const valid = (email: string) => createUserBody.safeParse({ email, name: 'Ann' }).success;

describe('email', () => {
  it('accepts what a browser accepts, apostrophes and ASCII (punycode) international domains included', () => {
    for (const email of ['ann@example.com', "t'@example.org", 'x@xn--e1afmkfd.xn--p1ai', 'a+tag@sub.example.co.uk']) expect(valid(email), email).toBe(true);
  });

  it('refuses a domain label ending or starting with a hyphen, quoted local parts and spaces', () => {
    for (const email of ['a@b-.example.com', 'a@-b.example.com', '"q"@example.com', 'a b@example.com', 'ann', '@example.com']) {
      expect(valid(email), email).toBe(false);
    }
  });
});

describe('names', () => {
  it('refuses a name with nothing visible, and a lone surrogate, rather than storing them', () => {
    for (const name of ['\u200b', '\u200b\u2060\ufeff', ' \u200b ', 'a\ud800b']) {
      expect(createUserBody.safeParse({ email: 'ann@example.com', name }).success, JSON.stringify(name)).toBe(false);
    }
    expect(createUserBody.safeParse({ email: 'ann@example.com', name: 'Zoë\u200d' }).success).toBe(true);
  });
});
