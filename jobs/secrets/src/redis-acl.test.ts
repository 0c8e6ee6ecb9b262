import { describe, expect, it } from 'vitest';
import { REDIS_USERS, redisAclFile, redisExporterAuthFile } from './redis-acl.js';
import { SECRETS } from './secrets-table.js';

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
    expect(rules['exporter']).not.toMatch(/\+set|\+del|\+flush|\+config\|set|\+@all|\+get|\+keys|\+scan/);
  });

  it('gives redis_exporter what it sends at each scrape, and no command that reads or writes a key', () => {
    const exporter = redisAclFile(passwords).split('\n').find((line) => line.startsWith('user exporter '));
    expect(exporter).toMatch(/ -@all \+@connection \+info \+config\|get \+client \+slowlog \+latency \+memory \+cluster\|info$/);
  });
});

describe('redis_exporter’s password file', () => {
  it('is JSON, its password by the address and user it logs in as, which is the ACL user', () => {
    expect(JSON.parse(redisExporterAuthFile('p4ss'))).toEqual({ 'redis://exporter@redis:6379': 'p4ss' });
    expect(REDIS_USERS.find((user) => user.password === 'redis_exporter_password')?.user).toBe('exporter');
    expect(() => redisExporterAuthFile('')).toThrow('no redis_exporter_password');
  });

  it('goes to the exporter’s folder alone, next to the password it is made from', () => {
    const of = (name: string) => SECRETS.find((secret) => secret.name === name);
    expect(of('redis_exporter_auth')).toEqual({ name: 'redis_exporter_auth', make: 'redis-exporter-auth', to: ['redis-exporter'] });
    expect(of('redis_exporter_password')?.to).toEqual(['redis-exporter']);
  });

  it('needs every user’s password', () => {
    expect(() => redisAclFile(new Map())).toThrow('no redis_users_password');
  });
});
