import { describe, expect, it } from 'vitest';
import { createUserBody, updateMeBody } from './users.js';

const PASSWORD = 'correct horse battery';

const valid = (email: string) => createUserBody.safeParse({ email, name: 'Ann', password: PASSWORD }).success;

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
      expect(createUserBody.safeParse({ email: 'ann@example.com', name, password: PASSWORD }).success, JSON.stringify(name)).toBe(false);
    }
    expect(createUserBody.safeParse({ email: 'ann@example.com', name: 'Zoë\u200d', password: PASSWORD }).success).toBe(true);
  });
});

describe('passwords', () => {
  const withPassword = (password: unknown) => createUserBody.safeParse({ email: 'ann@example.com', name: 'Ann', password }).success;

  it('takes 10 to 128 characters of anything, without composition rules', () => {
    for (const password of ['aaaaaaaaaa', ' '.repeat(10), 'x'.repeat(128), 'motdepasse très long']) expect(withPassword(password), password).toBe(true);
  });

  it('refuses fewer than 10, more than 128, and a missing one', () => {
    for (const password of ['short', 'x'.repeat(9), 'x'.repeat(129), undefined, 1234567890]) expect(withPassword(password), String(password)).toBe(false);
  });

  it('needs the current password to set a new one, and something to change', () => {
    expect(updateMeBody.safeParse({ password: 'a new password!' }).success).toBe(false);
    expect(updateMeBody.safeParse({ password: 'a new password!', currentPassword: 'the old one' }).success).toBe(true);
    expect(updateMeBody.safeParse({ name: 'Ann B.' }).success).toBe(true);
    expect(updateMeBody.safeParse({}).success).toBe(false);
  });
});
