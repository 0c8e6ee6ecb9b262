import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay, nextRetryDelay, retry, type RetryPolicy } from './retry.js';

const policy: RetryPolicy = { retries: 5, baseDelayMs: 100, maxDelayMs: 1000, deadlineMs: 60_000 };

describe('backoffDelay', () => {
  it('doubles from the base up to the cap, half fixed and half jitter', () => {
    const lowest = [1, 2, 3, 4, 5].map((n) => backoffDelay(n, policy, () => 0));
    const highest = [1, 2, 3, 4, 5].map((n) => backoffDelay(n, policy, () => 1));
    expect(lowest).toEqual([50, 100, 200, 400, 500]);
    expect(highest).toEqual([100, 200, 400, 800, 1000]);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(300);
  });
});

describe('nextRetryDelay', () => {
  it('allows no retry past the last one, nor one whose wait would end past the deadline', () => {
    expect(nextRetryDelay(5, policy, 0, () => 0)).toBe(500);
    expect(nextRetryDelay(6, policy, 0, () => 0)).toBeUndefined();
    expect(nextRetryDelay(1, policy, 59_950, () => 0)).toBe(50);
    expect(nextRetryDelay(1, policy, 59_951, () => 0)).toBeUndefined();
  });
});

describe('retry', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const failing = (failures: number) => {
    let calls = 0;
    return vi.fn(async () => {
      calls += 1;
      if (calls <= failures) throw new Error(`failure ${calls}`);
      return 'done';
    });
  };

  it('waits the backoff schedule between attempts, then succeeds', async () => {
    const operation = failing(3);
    const delays: number[] = [];
    const result = retry(operation, {
      policy,
      shouldRetry: () => true,
      random: () => 0,
      onRetry: ({ delayMs }) => delays.push(delayMs),
    });
    await vi.advanceTimersByTimeAsync(49);
    expect(operation).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(operation).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(100 + 200);
    await expect(result).resolves.toBe('done');
    expect(operation).toHaveBeenCalledTimes(4);
    expect(delays).toEqual([50, 100, 200]);
  });

  it('gives up after the last retry with the last error', async () => {
    const operation = failing(10);
    const result = retry(operation, { policy: { ...policy, retries: 2 }, shouldRetry: () => true, random: () => 0 });
    const outcome = expect(result).rejects.toThrow('failure 3');
    await vi.runAllTimersAsync();
    await outcome;
    expect(operation).toHaveBeenCalledTimes(3);
  });

  it('does not retry what shouldRetry refuses', async () => {
    const operation = failing(1);
    await expect(retry(operation, { policy, shouldRetry: () => false })).rejects.toThrow('failure 1');
    expect(operation).toHaveBeenCalledTimes(1);
  });

  it('does not start a retry that would end past the deadline', async () => {
    const operation = failing(10);
    const result = retry(operation, { policy: { ...policy, deadlineMs: 300 }, shouldRetry: () => true, random: () => 0 });
    const outcome = expect(result).rejects.toThrow('failure 3');
    await vi.runAllTimersAsync();
    await outcome;
    // Waits of 50 and 100 fit in 300 ms; the next (200) would not.
    expect(operation).toHaveBeenCalledTimes(3);
  });
});
