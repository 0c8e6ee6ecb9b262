import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '@shopstack/logger';
import { Writable } from 'node:stream';
import { breakerStatus, createBreaker } from './breaker.js';

const silent = createLogger({ service: 'test', level: 'silent' }, new Writable({ write: (_c, _e, done) => done() }));

describe('circuit breaker', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup() {
    let healthy = false;
    const action = vi.fn(async () => {
      if (!healthy) throw new Error('down');
      return 'ok';
    });
    const breaker = createBreaker('downstream', action, {
      BREAKER_ERROR_THRESHOLD_PERCENT: 50,
      BREAKER_VOLUME_THRESHOLD: 3,
      BREAKER_RESET_TIMEOUT_MS: 1000,
      BREAKER_WINDOW_MS: 10_000,
    }, silent);
    return { breaker, action, recover: () => (healthy = true) };
  }

  it('stays closed until the volume threshold is reached, then opens', async () => {
    const { breaker } = setup();
    await expect(breaker.fire()).rejects.toThrow('down');
    await expect(breaker.fire()).rejects.toThrow('down');
    expect(breakerStatus(breaker).state).toBe('closed');
    await expect(breaker.fire()).rejects.toThrow('down');
    expect(breakerStatus(breaker).state).toBe('open');
    breaker.shutdown();
  });

  it('rejects at once while open, without calling the downstream', async () => {
    const { breaker, action } = setup();
    for (let i = 0; i < 3; i += 1) await breaker.fire().catch(() => undefined);
    const calls = action.mock.calls.length;
    await expect(breaker.fire()).rejects.toMatchObject({ code: 'EOPENBREAKER' });
    expect(action).toHaveBeenCalledTimes(calls);
    expect(breakerStatus(breaker).counts).toMatchObject({ fires: 4, failures: 3, rejects: 1 });
    breaker.shutdown();
  });

  it('goes half-open after the reset timeout and closes on a successful trial', async () => {
    const { breaker, recover } = setup();
    for (let i = 0; i < 3; i += 1) await breaker.fire().catch(() => undefined);
    await vi.advanceTimersByTimeAsync(999);
    expect(breakerStatus(breaker).state).toBe('open');
    await vi.advanceTimersByTimeAsync(1);
    expect(breakerStatus(breaker).state).toBe('half-open');
    recover();
    await expect(breaker.fire()).resolves.toBe('ok');
    expect(breakerStatus(breaker).state).toBe('closed');
    breaker.shutdown();
  });

  it('opens again when the half-open trial fails', async () => {
    const { breaker } = setup();
    for (let i = 0; i < 3; i += 1) await breaker.fire().catch(() => undefined);
    await vi.advanceTimersByTimeAsync(1000);
    await expect(breaker.fire()).rejects.toThrow('down');
    expect(breakerStatus(breaker).state).toBe('open');
    breaker.shutdown();
  });
});
