import { describe, expect, it } from 'vitest';
import { databaseUrl } from './settings.js';

describe('databaseUrl', () => {
  it('keeps DATABASE_URL as it is when no password is given apart', () => {
    const url = 'postgres://users:demo@users-db:5432/users';
    expect(databaseUrl({ DATABASE_URL: url })).toBe(url);
  });

  it('puts DATABASE_PASSWORD in the URL, encoded, replacing any there', () => {
    const url = databaseUrl({ DATABASE_URL: 'postgres://users:old@users-db:5432/users', DATABASE_PASSWORD: 'p@ss/w:rd%#' });
    const parsed = new URL(url);
    expect(decodeURIComponent(parsed.password)).toBe('p@ss/w:rd%#');
    expect([parsed.username, parsed.host, parsed.pathname]).toEqual(['users', 'users-db:5432', '/users']);
  });
});
