import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanUp, freePort, startPostgres, startRedis, waitUntil, type StartedPostgres, type StartedRedis } from '@shopstack/testing';

const server = fileURLToPath(new URL('../dist/server.js', import.meta.url));

/** Starts the built server with only the given environment; resolves when it exits. */
function start(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [server], { env: { PATH: process.env['PATH'] ?? '', ...env } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('server start-up', () => {
  it('exits 1 at once with one message naming every bad or missing setting', async () => {
    const { code, output } = await start({ PORT: 'eighty', LOG_LEVEL: 'chatty' });
    expect(code).toBe(1);
    const lines = output.trim().split('\n');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ level: 'fatal', service: 'users' });
    expect(line.msg).toBe(
      'Invalid configuration (4 problems): PORT must be a whole number; LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; DATABASE_URL is required but not set; REDIS_URL is required but not set',
    );
  });
});

describe('server start-up with no start order', () => {
  let postgres: StartedPostgres;
  let redis: StartedRedis;
  let secrets: string;
  beforeAll(async () => {
    [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
    secrets = mkdtempSync(path.join(tmpdir(), 'users-secrets-'));
  });
  afterAll(async () => {
    rmSync(secrets, { recursive: true, force: true });
    await cleanUp({ postgres: () => postgres.stop(), redis: () => redis.stop() });
  });

  /** The built server, on `port` (and its metrics on `metricsPort`), told its database is on `dbPort`, where nothing may listen yet. */
  function startWaitingFor(dbPort: number, [port, metricsPort]: [number, number], password = postgres.getPassword(), more: Record<string, string> = {}) {
    const passwordFile = path.join(secrets, 'users_db_password');
    writeFileSync(passwordFile, `${password}\n`);
    const child = spawn(process.execPath, [server], {
      env: {
        PATH: process.env['PATH'] ?? '',
        PORT: String(port),
        // A free port of its own, not the default: these servers start side by side.
        METRICS_PORT: String(metricsPort),
        DATABASE_URL: `postgres://${postgres.getUsername()}@127.0.0.1:${dbPort}/${postgres.getDatabase()}`,
        DATABASE_PASSWORD_FILE: passwordFile,
        REDIS_URL: redis.getConnectionUrl(),
        ...more,
      },
    });
    const started = { child, output: '', exited: false, exit: new Promise<number | null>((resolve) => child.once('exit', resolve)) };
    child.stdout.on('data', (chunk: Buffer) => (started.output += chunk.toString()));
    void started.exit.then(() => (started.exited = true));
    return started;
  }
  /** A plain TCP relay to the real Postgres, as a database task would appear under Swarm. */
  const relayToPostgres = () =>
    createNetServer((client) => {
      const upstream = connect(postgres.getMappedPort(5432), postgres.getHost());
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
  const getFrom = (port: number) => (pathname: string) => fetch(`http://127.0.0.1:${port}${pathname}`, { signal: AbortSignal.timeout(2000) });

  it('waits for a database that is not there yet, alive and not ready, holding work until it appears', async () => {
    // The database's address is a port nothing listens on yet; later, the relay opens there.
    const [dbPort, port, metricsPort] = await Promise.all([freePort(), freePort(), freePort()]);
    const started = startWaitingFor(dbPort, [port, metricsPort]);
    const relay = relayToPostgres();
    try {
      const get = getFrom(port);
      await waitUntil('the server to listen', async () => (await get('/health')).status === 200, 10_000, 100);
      // Its metrics are served from the start, on their own port only.
      const metrics = await getFrom(metricsPort)('/metrics');
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(/^process_cpu_seconds_total\{service="users"\} /m);
      expect((await getFrom(metricsPort)('/health')).status).toBe(404);
      // Work sent now is held until the service can do it.
      let heldAnswered = false;
      const held = fetch(`http://127.0.0.1:${port}/auth/jwks.json`, { signal: AbortSignal.timeout(30_000) }).finally(() => (heldAnswered = true));
      // Several retries' worth of time: alive, not ready, and still running.
      for (let i = 0; i < 6; i += 1) {
        const ready = await get('/ready');
        expect(ready.status).toBe(503);
        expect(await ready.json()).toMatchObject({ status: 'not_ready' });
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect(heldAnswered).toBe(false);
      expect(started.exited).toBe(false);
      const waits = started.output.split('\n').filter((line) => line.includes('database not reachable yet'));
      expect(waits.length).toBeGreaterThan(1);
      expect(waits.join('\n')).not.toContain('stack');

      await new Promise<void>((resolve) => relay.listen(dbPort, '127.0.0.1', resolve));
      await waitUntil('the server to be ready', async () => (await get('/ready')).status === 200, 15_000, 200);
      expect((await held).status).toBe(200);
      expect((await get('/auth/jwks.json')).status).toBe(200);
      const onAppPort = await get('/metrics');
      expect(onAppPort.status).toBe(404);
      expect(await onAppPort.json()).toMatchObject({ error: { code: 'not_found' } });
      const scraped = await (await getFrom(metricsPort)('/metrics')).text();
      expect(scraped).toMatch(/^http_requests_total\{route="\/auth\/jwks\.json",method="GET",status="200",service="users"\} 2$/m);
      expect(scraped).toMatch(/^db_pool_connections\{state="total",service="users"\} [1-9]/m);
      expect(started.output).not.toContain(postgres.getPassword());
    } finally {
      started.child.kill('SIGTERM');
      await Promise.race([started.exit, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      relay.close();
    }
    expect(started.exited).toBe(true);
    expect(await started.exit).toBe(0);
  });

  it('ends with exit 1 and one fatal line when a start step fails for a reason other than an absent database (a wrong password)', async () => {
    const [dbPort, port] = await Promise.all([freePort(), freePort()]);
    const relay = relayToPostgres();
    await new Promise<void>((resolve) => relay.listen(dbPort, '127.0.0.1', resolve));
    const started = startWaitingFor(dbPort, [port, await freePort()], 'not-the-password');
    try {
      expect(await Promise.race([started.exit, new Promise((resolve) => setTimeout(() => resolve('still running'), 10_000))])).toBe(1);
      const fatal = started.output.split('\n').filter((line) => line.includes('"level":"fatal"'));
      expect(fatal).toHaveLength(1);
      expect(fatal[0]).toContain('password authentication failed');
    } finally {
      started.child.kill('SIGKILL');
      relay.close();
    }
  });

  it('answers held work with a retryable 503 and exits 0 at once when stopped before its database appears', async () => {
    const [dbPort, port] = await Promise.all([freePort(), freePort()]);
    const started = startWaitingFor(dbPort, [port, await freePort()]);
    try {
      const get = getFrom(port);
      await waitUntil('the server to listen', async () => (await get('/health')).status === 200, 10_000, 100);
      const held = fetch(`http://127.0.0.1:${port}/auth/jwks.json`, { signal: AbortSignal.timeout(30_000) });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const stoppedAt = Date.now();
      started.child.kill('SIGTERM');
      const answer = await held;
      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toBe('1');
      expect(await answer.json()).toMatchObject({ error: { code: 'service_unavailable' } });
      // Well inside the 8 s shutdown budget, past which it would exit 1.
      expect(await started.exit).toBe(0);
      expect(Date.now() - stoppedAt).toBeLessThan(5000);
    } finally {
      started.child.kill('SIGKILL');
    }
  });

  it('with METRICS=off, serves the app as before and no metrics port', async () => {
    const [dbPort, port, metricsPort] = await Promise.all([freePort(), freePort(), freePort()]);
    const relay = relayToPostgres();
    await new Promise<void>((resolve) => relay.listen(dbPort, '127.0.0.1', resolve));
    const started = startWaitingFor(dbPort, [port, metricsPort], postgres.getPassword(), { METRICS: 'off' });
    try {
      const get = getFrom(port);
      await waitUntil('the server to be ready', async () => (await get('/ready').catch(() => undefined))?.status === 200, 15_000, 200);
      expect((await get('/auth/jwks.json')).status).toBe(200);
      await expect(getFrom(metricsPort)('/metrics')).rejects.toThrow();
      expect(started.output).toContain('metrics off');
    } finally {
      started.child.kill('SIGTERM');
      await Promise.race([started.exit, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      relay.close();
    }
    expect(await started.exit).toBe(0);
  });
});
