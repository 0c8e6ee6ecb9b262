import { describe, expect, it } from 'vitest';
import { exec } from './stack.js';
import type { Service } from './stack-env.js';

/**
 * Redis commands sent from inside a Node service's container, as that service logs in
 * (REDIS_USERNAME and its password file) with the Redis client it runs: what one who took
 * over the container could do. One line per command: its answer, or its error.
 */
async function asService(service: Service, commands: string[][]): Promise<string[]> {
  const script = `const { createClient } = require('@redis/client');
    const password = require('node:fs').readFileSync(process.env.REDIS_PASSWORD_FILE, 'utf8');
    const client = createClient({ url: 'redis://redis:6379', username: process.env.REDIS_USERNAME, password });
    (async () => {
      await client.connect();
      for (const command of ${JSON.stringify(commands)}) {
        try { console.log(String(await client.sendCommand(command))); } catch (error) { console.log(error.message); }
      }
      await client.close();
    })();`;
  const ran = await exec(service, ['node', '-e', script]);
  expect(ran.code, ran.output).toBe(0);
  return ran.output.trim().split('\n');
}

const NOPERM_KEY = /^NOPERM .*keys/;
const NOPERM_COMMAND = /^NOPERM .*command/;

describe('Redis, one user per client', () => {
  it('refuses users another service’s keys and FLUSHALL, and lets it use its own', async () => {
    const [productKey, gatewayCopy, flush, config, own, read, removed] = await asService('users', [
      ['GET', 'products:product:00000000-0000-0000-0000-000000000000'],
      ['SET', 'gateway:stale:product:planted', '{"body":"fake"}'],
      ['FLUSHALL'],
      ['CONFIG', 'SET', 'appendonly', 'no'],
      ['SET', 'users:acl-test', 'mine'],
      ['GET', 'users:acl-test'],
      ['DEL', 'users:acl-test'],
    ]);
    expect(productKey).toMatch(NOPERM_KEY);
    expect(gatewayCopy).toMatch(NOPERM_KEY);
    expect(flush).toMatch(NOPERM_COMMAND);
    expect(config).toMatch(NOPERM_COMMAND);
    expect([own, read, removed]).toEqual(['OK', 'mine', '1']);
  });

  it('refuses the gateway the services’ keys and orders’ locks, and products the gateway’s counters', async () => {
    const [userKey, lock] = await asService('api-gateway', [['GET', 'users:user:00000000-0000-0000-0000-000000000000'], ['DEL', 'orders:idempotency:a:b']]);
    expect(userKey).toMatch(NOPERM_KEY);
    expect(lock).toMatch(NOPERM_KEY);
    const [counter, keys] = await asService('products', [['DEL', 'gateway:ratelimit:127.0.0.1'], ['KEYS', '*']]);
    expect(counter).toMatch(NOPERM_KEY);
    expect(keys).toMatch(NOPERM_COMMAND);
  });

  it('refuses a client without credentials, and the default user', async () => {
    const anonymous = await exec('redis', ['redis-cli', 'GET', 'users:anything']);
    expect(anonymous.output).toContain('NOAUTH');
    const asDefault = await exec('redis', ['sh', '-c', 'REDISCLI_AUTH=anything redis-cli PING']);
    expect(asDefault.output).toMatch(/WRONGPASS|NOAUTH/);
  });

  it('lets the healthcheck user ping and read the configuration, and touch no key', async () => {
    const asHealthcheck = (command: string) =>
      exec('redis', ['sh', '-c', `REDISCLI_AUTH="$(cat /run/secrets/redis_healthcheck_password)" redis-cli --user healthcheck ${command}`]);
    expect((await asHealthcheck('PING')).output).toContain('PONG');
    expect((await asHealthcheck('CONFIG GET appendonly')).output).toContain('yes');
    expect((await asHealthcheck('GET users:anything')).output).toContain('NOPERM');
  });
});
