export interface RetryPolicy {
  /** Attempts after the first one. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** No retry starts once this long has passed since the first attempt. */
  deadlineMs: number;
}

/**
 * Delay before retry number `retryNumber` (1, 2, …): exponential, capped, with "equal
 * jitter". Half of the delay is fixed, so the waits add up to enough time to ride out a
 * service restart; the other half is random, so clients that failed together do not all
 * come back in the same millisecond.
 */
export function backoffDelay(retryNumber: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retryNumber - 1));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}

/**
 * The wait before retry number `retryNumber` of an operation that started `elapsedMs` ago,
 * or undefined when the policy allows no more: the retries are spent, or the wait would end
 * past the deadline.
 */
export function nextRetryDelay(retryNumber: number, policy: RetryPolicy, elapsedMs: number, random: () => number = Math.random): number | undefined {
  if (retryNumber > policy.retries) return undefined;
  const delayMs = backoffDelay(retryNumber, policy, random);
  return elapsedMs + delayMs > policy.deadlineMs ? undefined : delayMs;
}

export interface RetryOptions {
  policy: RetryPolicy;
  shouldRetry: (error: unknown) => boolean;
  onRetry?: (event: { error: unknown; retryNumber: number; delayMs: number }) => void;
  random?: () => number;
  now?: () => number;
}

// The global setTimeout, so that tests can drive retries with fake timers.
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function retry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { policy, shouldRetry, onRetry, random = Math.random, now = Date.now } = options;
  const startedAt = now();
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation(attempt);
    } catch (error) {
      const delayMs = shouldRetry(error) ? nextRetryDelay(attempt, policy, now() - startedAt, random) : undefined;
      if (delayMs === undefined) throw error;
      onRetry?.({ error, retryNumber: attempt, delayMs });
      await sleep(delayMs);
    }
  }
}
