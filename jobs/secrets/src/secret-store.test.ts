import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { secretStore } from './secret-store.js';

let root: string | undefined;
afterEach(() => root && rmSync(root, { recursive: true, force: true }));

describe('the secrets volume', () => {
  it('writes a secret into each of its folders, for the node group alone in a Node service’s', () => {
    root = mkdtempSync(path.join(tmpdir(), 'secrets-'));
    const store = secretStore(root);
    store.write('users_db_password', 'p4ss', ['users', 'users-db']);
    expect(readdirSync(root).sort()).toEqual(['users', 'users-db']);
    expect(readdirSync(path.join(root, 'users'))).toEqual(['users_db_password']);
    expect(statSync(path.join(root, 'users', 'users_db_password')).mode & 0o777).toBe(0o440);
    expect(statSync(path.join(root, 'users-db', 'users_db_password')).mode & 0o777).toBe(0o444);
    if (process.getuid?.() === 0) expect(statSync(path.join(root, 'users', 'users_db_password')).gid).toBe(1000);
  });

  it('leaves an exporter’s files readable by its user, nobody (65534), whatever the owner', () => {
    root = mkdtempSync(path.join(tmpdir(), 'secrets-'));
    secretStore(root).write('redis_exporter_auth', '{}', ['redis-exporter']);
    expect(statSync(path.join(root, 'redis-exporter')).mode & 0o005).toBe(0o005);
    expect(statSync(path.join(root, 'redis-exporter', 'redis_exporter_auth')).mode & 0o777).toBe(0o444);
  });

  it('reads a secret from the first of its folders that has it, and replaces it whole', () => {
    root = mkdtempSync(path.join(tmpdir(), 'secrets-'));
    const store = secretStore(root);
    expect(store.read('admin_password', ['users', 'seed'])).toBeUndefined();
    store.write('admin_password', 'first', ['seed']);
    expect(store.read('admin_password', ['users', 'seed'])).toBe('first');
    store.write('admin_password', 'second', ['users', 'seed']);
    expect(store.read('admin_password', ['users', 'seed'])).toBe('second');
    // Written to a new file renamed over the old one: nothing left behind.
    expect(readdirSync(path.join(root, 'seed'))).toEqual(['admin_password']);
  });
});
