import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '@shopstack/metrics';
import { captureLogger, metricValue } from '@shopstack/testing';
import { withCallPolicy, type SendAttempt } from './call-policy.js';
import type { DownstreamSettings } from './settings.js';

const { logger } = captureLogger('test');
const settings: DownstreamSettings = {
  DOWNSTREAM_TIMEOUT_MS: 1000,
  RETRY_ATTEMPTS: 2,
  RETRY_BASE_DELAY_MS: 1,
  RETRY_MAX_DELAY_MS: 2,
  RETRY_DEADLINE_MS: 1000,
  BREAKER_ERROR_THRESHOLD_PERCENT: 50,
  BREAKER_VOLUME_THRESHOLD: 100,
  BREAKER_RESET_TIMEOUT_MS: 200,
  BREAKER_WINDOW_MS: 10_000,
};

/** A downstream that answers, or fails, as the test says for each attempt in turn. */
function scripted(...script: Array<number | 'refused' | 'timeout'>) {
  const send: SendAttempt = async () => {
    const next = script.shift() ?? 200;
    if (next === 'refused') throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    if (next === 'timeout') throw Object.assign(new Error('timed out'), { name: 'TimeoutError' });
    return { status: next, headers: {}, body: Buffer.alloc(0) };
  };
  return { send, more: (...steps: typeof script) => script.push(...steps) };
}

describe('call metrics', () => {
  it('counts each attempt and times each call by outcome, for its target', async () => {
    const metrics = createMetrics('orders');
    const downstream = scripted(200, 404, 503, 'refused', 'timeout', 200, 'refused', 'refused', 'refused');
    const client = withCallPolicy('products', downstream.send, settings, logger, { metrics });
    const get = () => client.request({ method: 'GET', path: '/x' }).catch(() => undefined);
    await get(); // 200
    await get(); // 404: an answer, so ok
    await get(); // 503: final, an http_error
    await get(); // refused, timed out, then answered: a call that ended ok after three attempts
    await get(); // refused three times: unreachable
    const attempts = (outcome: string) => metricValue(metrics, 'downstream_attempts_total', { target: 'products', outcome });
    const calls = (outcome: string) => metricValue(metrics, 'downstream_request_duration_seconds', { target: 'products', outcome });
    expect([await attempts('ok'), await attempts('http_error'), await attempts('unreachable'), await attempts('timeout')]).toEqual([3, 1, 4, 1]);
    expect([await calls('ok'), await calls('http_error'), await calls('unreachable'), await calls('timeout')]).toEqual([3, 1, 1, 0]);
    await client.close();
  });

  it("follows the breaker's state and counts its transitions, and a call its open circuit refused", async () => {
    const metrics = createMetrics('api-gateway');
    const downstream = scripted('refused', 'refused', 'refused');
    const client = withCallPolicy('users', downstream.send, settings, logger, { metrics });
    const state = () => metricValue(metrics, 'circuit_breaker_state', { target: 'users' });
    const transitions = (to: string) => metricValue(metrics, 'circuit_breaker_transitions_total', { target: 'users', to });
    expect(await state()).toBe(0);
    // Every attempt of a GET went unanswered: the circuit opens at the end of the call.
    await client.request({ method: 'GET', path: '/x' }).catch(() => undefined);
    expect([await state(), await transitions('open')]).toEqual([2, 1]);
    await client.request({ method: 'GET', path: '/x' }).catch(() => undefined);
    expect(await metricValue(metrics, 'downstream_attempts_total', { target: 'users', outcome: 'rejected' })).toBe(1);
    expect(await metricValue(metrics, 'downstream_request_duration_seconds', { target: 'users', outcome: 'rejected' })).toBe(1);
    await sleep(250);
    expect([await state(), await transitions('half_open')]).toEqual([1, 1]);
    await client.request({ method: 'GET', path: '/x' });
    expect([await state(), await transitions('closed')]).toEqual([0, 1]);
    await client.close();
  });
});
