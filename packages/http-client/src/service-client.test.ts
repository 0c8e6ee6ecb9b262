import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '@shopstack/errors';
import { createLogger } from '@shopstack/logger';
import { RequestTimings, runWithTimings } from '@shopstack/timing';
import { mayHaveReached, withCallPolicy, type SendAttempt, type ServiceClient } from './call-policy.js';
import { createServiceClient } from './service-client.js';
import type { DownstreamSettings } from './settings.js';

// A real HTTP server on loopback that fails a set number of times, then answers. It fails
// with a status, or with no answer at all (the connection dropped).
let failuresLeft = 0;
let failWith: number | 'no answer' = 'no answer';
const seen: Array<{ method: string; url: string; requestId?: string; idempotencyKey?: string }> = [];
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({
      method: req.method!,
      url: req.url!,
      requestId: req.headers['x-request-id'] as string | undefined,
      idempotencyKey: req.headers['idempotency-key'] as string | undefined,
    });
    if (req.url === '/slow') return void setTimeout(() => res.writeHead(200).end(), 300);
    if (req.url === '/missing') return res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"not_found"}}');
    if (failuresLeft > 0) {
      failuresLeft -= 1;
      if (failWith === 'no answer') return req.socket.destroy();
      return res.writeHead(failWith).end();
    }
    res.writeHead(200, { 'content-type': 'application/json', 'x-cache': 'miss', 'server-timing': 'catalog;dur=1.5, catalog-db;dur=1' }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const silent = createLogger({ service: 'test', level: 'silent' }, new Writable({ write: (_c, _e, done) => done() }));
let client: ServiceClient;

/** Retries on a millisecond scale, and a breaker that may open once 4 attempts have failed. */
const settings = (overrides: Partial<DownstreamSettings> = {}): DownstreamSettings => ({
  DOWNSTREAM_TIMEOUT_MS: 1000,
  RETRY_ATTEMPTS: 6,
  RETRY_BASE_DELAY_MS: 1,
  RETRY_MAX_DELAY_MS: 2,
  RETRY_DEADLINE_MS: 1000,
  BREAKER_ERROR_THRESHOLD_PERCENT: 50,
  BREAKER_VOLUME_THRESHOLD: 4,
  BREAKER_RESET_TIMEOUT_MS: 60_000,
  BREAKER_WINDOW_MS: 10_000,
  ...overrides,
});

describe('service client', () => {
  beforeEach(async () => {
    failuresLeft = 0;
    failWith = 'no answer';
    seen.length = 0;
    await client?.close();
    client = createServiceClient('catalog', baseUrl, settings(), silent);
  });

  it('retries a GET that got no answer and passes the request id on every attempt', async () => {
    failuresLeft = 2;
    const res = await client.request({ method: 'GET', path: '/things/1', requestId: 'req-1' });
    expect(res).toMatchObject({ status: 200, data: { ok: true }, headers: { 'x-cache': 'miss' } });
    expect(seen).toHaveLength(3);
    expect(seen.every((call) => call.requestId === 'req-1')).toBe(true);
    // The breaker counts every attempt; too few failures here to open it.
    expect(client.status()).toMatchObject({ state: 'closed', counts: { fires: 3, successes: 1, failures: 2 } });
  });

  it('never retries a POST without an idempotency key', async () => {
    failuresLeft = 1;
    await expect(client.request({ method: 'POST', path: '/things', body: { a: 1 } })).rejects.toMatchObject({ status: 503 });
    expect(seen).toHaveLength(1);
  });

  it('retries a POST that carries an idempotency key, sending the key each time', async () => {
    failuresLeft = 1;
    const res = await client.request({ method: 'POST', path: '/things', body: { a: 1 }, idempotencyKey: 'key-1' });
    expect(res.status).toBe(200);
    expect(seen.map((call) => call.idempotencyKey)).toEqual(['key-1', 'key-1']);
  });

  it('answers 4xx as they are, without retrying or counting a failure', async () => {
    const res = await client.request({ method: 'GET', path: '/missing' });
    expect(res.status).toBe(404);
    expect(seen).toHaveLength(1);
    expect(client.status().counts.failures).toBe(0);
  });

  it('takes a 5xx answer as final: not retried, not a breaker failure, mapped to 502, 503 or 504', async () => {
    failuresLeft = 100;
    for (const [answered, status, code] of [
      [500, 502, 'bad_gateway'],
      [503, 503, 'service_unavailable'],
      [504, 504, 'gateway_timeout'],
    ] as const) {
      failWith = answered;
      seen.length = 0;
      for (let i = 0; i < 5; i += 1) {
        const error = await client.request({ method: 'GET', path: '/things/1' }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(AppError);
        expect(error).toMatchObject({ status, code });
        expect(mayHaveReached(error)).toBe(true);
      }
      expect(seen).toHaveLength(5);
    }
    // The service answered every time: its circuit stays closed.
    expect(client.status()).toMatchObject({ state: 'closed', counts: { failures: 0, successes: 15 } });
  });

  it('opens within a single call to a dead downstream, stops its retries, then fails fast with 503 and Retry-After', async () => {
    failuresLeft = 100;
    const first = await client.request({ method: 'GET', path: '/x' }).catch((e: unknown) => e);
    // Four failed attempts reach the volume threshold: the fifth is never sent.
    expect(seen).toHaveLength(4);
    expect(client.status().state).toBe('open');
    // The caller learns how the attempts that were made failed, not just that the circuit is open.
    expect(first).toMatchObject({ status: 503, code: 'service_unavailable' });
    expect((first as AppError).cause).toBeInstanceOf(Error);
    expect(((first as AppError).cause as { code?: string }).code).not.toBe('EOPENBREAKER');
    // A dropped connection may have been received; a call its open circuit refused was not.
    expect(mayHaveReached(first)).toBe(true);

    const error = await client.request({ method: 'GET', path: '/x' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503, code: 'service_unavailable', headers: { 'Retry-After': '60' } });
    expect(((error as AppError).cause as { code?: string }).code).toBe('EOPENBREAKER');
    expect(mayHaveReached(error)).toBe(false);
    expect(seen).toHaveLength(4);
  });

  it('opens at the end of the first call whose every attempt went unanswered, however few calls were seen', async () => {
    const lone = createServiceClient('lone', baseUrl, settings({ RETRY_ATTEMPTS: 2, BREAKER_VOLUME_THRESHOLD: 100 }), silent);
    try {
      failuresLeft = 2;
      // Two unanswered attempts, then an answer: a restart ridden out, the circuit stays closed.
      expect((await lone.request({ method: 'GET', path: '/x' })).status).toBe(200);
      expect(lone.status().state).toBe('closed');
      // A POST without a key is tried once: one lost answer says little, the circuit stays closed.
      failuresLeft = 100;
      await expect(lone.request({ method: 'POST', path: '/x', body: {} })).rejects.toMatchObject({ status: 503 });
      expect(lone.status().state).toBe('closed');
      // Three unanswered attempts, the whole budget: open, and the next call is refused at once.
      await expect(lone.request({ method: 'GET', path: '/x' })).rejects.toMatchObject({ status: 503 });
      expect(lone.status().state).toBe('open');
      seen.length = 0;
      await expect(lone.request({ method: 'GET', path: '/x' })).rejects.toMatchObject({ status: 503, code: 'service_unavailable' });
      expect(seen).toHaveLength(0);
    } finally {
      await lone.close();
    }
  });

  it("times the call as a part of the caller's request and passes the service's own timings on", async () => {
    failuresLeft = 1;
    const timings = new RequestTimings('gateway');
    await runWithTimings(timings, () => client.request({ method: 'GET', path: '/things/1' }));
    expect(timings.header()).toMatch(/^gateway;dur=[\d.]+, gateway-catalog;desc="2 attempts";dur=[\d.]+, catalog;dur=1.5, catalog-db;dur=1$/);

    failuresLeft = 100;
    const failed = new RequestTimings('gateway');
    await runWithTimings(failed, () => client.request({ method: 'GET', path: '/x' }).catch(() => undefined));
    expect(failed.header()).toMatch(/gateway-catalog;desc="\d attempts, service_unavailable"/);
    const refused = new RequestTimings('gateway');
    await runWithTimings(refused, () => client.request({ method: 'GET', path: '/x' }).catch(() => undefined));
    expect(refused.header()).toContain('gateway-catalog;desc="circuit open"');
  });

  it('uses the fallback when the call fails, and counts it', async () => {
    failuresLeft = 100;
    const res = await client.request(
      { method: 'GET', path: '/x' },
      { fallback: async (error) => ({ status: 200, headers: { 'x-cache': 'stale' }, setCookie: [], body: Buffer.alloc(0), data: { from: error.code } }) },
    );
    expect(res).toMatchObject({ status: 200, data: { from: 'service_unavailable' } });
    expect(client.status().fallbacks).toBe(1);
  });

  it('reports a refused connection as 503 service_unavailable', async () => {
    const dead = createServiceClient(
      'nobody',
      'http://127.0.0.1:1',
      settings({ DOWNSTREAM_TIMEOUT_MS: 500, RETRY_ATTEMPTS: 1, RETRY_MAX_DELAY_MS: 1, RETRY_DEADLINE_MS: 100, BREAKER_VOLUME_THRESHOLD: 10, BREAKER_RESET_TIMEOUT_MS: 1000 }),
      silent,
    );
    const error = await dead.request({ method: 'GET', path: '/' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503, code: 'service_unavailable' });
    // Refused: nothing reached the service.
    expect(mayHaveReached(error)).toBe(false);
    await dead.close();
  });

  it('reports an attempt that timed out as 504 gateway_timeout, one that may have been received', async () => {
    const slow = createServiceClient('catalog', baseUrl, settings({ DOWNSTREAM_TIMEOUT_MS: 100, RETRY_ATTEMPTS: 0 }), silent);
    const error = await slow.request({ method: 'GET', path: '/slow' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 504, code: 'gateway_timeout' });
    expect(mayHaveReached(error)).toBe(true);
    await slow.close();
  });
});

describe('mayHaveReached', () => {
  /** A call whose attempts fail, one after the other, with errors of these codes. */
  async function failedCall(...codes: string[]): Promise<unknown> {
    const errors = codes.map((code) => Object.assign(new Error(code), { code }));
    const send: SendAttempt = async () => {
      throw errors.shift() ?? new Error('no more attempts planned');
    };
    const scripted = withCallPolicy('catalog', send, settings({ RETRY_ATTEMPTS: codes.length - 1, BREAKER_VOLUME_THRESHOLD: 100 }), silent);
    const error = await scripted.request({ method: 'GET', path: '/x' }).catch((e: unknown) => e);
    await scripted.close();
    return error;
  }

  it('is false when no attempt connected: refused, or a name that no longer resolves', async () => {
    expect(mayHaveReached(await failedCall('ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'))).toBe(false);
  });

  it('is true when any attempt may have been received, whatever the last one did', async () => {
    expect(mayHaveReached(await failedCall('ECONNRESET', 'ECONNREFUSED', 'ECONNREFUSED'))).toBe(true);
    const timedOut = await failedCall('ECONNREFUSED', 'ETIMEDOUT', 'ECONNRESET');
    expect(timedOut).toMatchObject({ status: 504, code: 'gateway_timeout' });
    expect(mayHaveReached(timedOut)).toBe(true);
  });

  it('is true for a failure the client cannot place', () => {
    expect(mayHaveReached(new Error('anything'))).toBe(true);
  });
});
