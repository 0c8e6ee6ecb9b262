import { describe, expect, it } from 'vitest';
import { REDIS_USERS, redisAclFile } from './redis-acl.js';

const passwords = new Map(REDIS_USERS.map(({ password }) => [password, `${password}-value`]));

describe('the Redis ACL file', () => {
  it('turns the default user off and holds each user’s password as a SHA-256 hash only', () => {
    const lines = redisAclFile(passwords).trimEnd().split('\n');
    expect(lines[0]).toBe('user default off resetpass resetkeys resetchannels -@all');
    expect(lines.slice(1).map((line) => line.split(' ')[1])).toEqual(['users', 'products', 'orders', 'api-gateway', 'healthcheck', 'admin', 'exporter']);
    for (const line of lines.slice(1)) expect(line).toMatch(/ on #[0-9a-f]{64} resetchannels -@all /);
    expect(redisAclFile(passwords)).not.toContain('-value');
  });

  it('keeps each client to its own prefix, and the healthcheck and exporter to no key', () => {
    const rules = Object.fromEntries(redisAclFile(passwords).trimEnd().split('\n').map((line) => [line.split(' ')[1], line]));
    expect(rules['users']).toContain(' ~users:* ');
    expect(rules['api-gateway']).toContain(' ~gateway:* ');
    for (const user of ['healthcheck', 'exporter']) expect(rules[user]).not.toContain('~');
    expect(rules['exporter']).not.toMatch(/\+set|\+del|\+flush|\+config\|set/);
  });

  it('needs every user’s password', () => {
    expect(() => redisAclFile(new Map())).toThrow('no redis_users_password');
  });
});
