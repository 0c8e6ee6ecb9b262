/**
 * Work a request starts but does not wait for (giving back stock after a failed order, say).
 * Shutdown waits for it before the pools it needs are closed.
 */
export interface BackgroundTasks {
  /** Keeps track of a task; the task handles and logs its own failure. */
  track(task: Promise<unknown>): void;
  /** Resolves when every tracked task has ended, or after `timeoutMs`: with how many are still running. */
  settle(timeoutMs: number): Promise<number>;
}

export function createBackgroundTasks(): BackgroundTasks {
  const pending = new Set<Promise<unknown>>();
  return {
    track(task) {
      const tracked: Promise<unknown> = task.catch(() => undefined).finally(() => pending.delete(tracked));
      pending.add(tracked);
    },
    async settle(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
      await Promise.race([Promise.all(pending), timedOut]);
      clearTimeout(timer);
      return pending.size;
    },
  };
}
