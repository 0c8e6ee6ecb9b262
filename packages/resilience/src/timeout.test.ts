import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { withTimeout } from './timeout.js';

describe('withTimeout', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('answers what the work answers when it is in time', async () => {
    await expect(withTimeout(Promise.resolve(42), 100, 'work')).resolves.toBe(42);
  });

  it('rejects, naming the work, once the time is up', async () => {
    const late = withTimeout(new Promise(() => undefined), 100, 'Redis');
    const outcome = expect(late).rejects.toThrow('Redis did not answer within 100 ms');
    await vi.advanceTimersByTimeAsync(100);
    await outcome;
  });
});
