/**
 * Work a request starts but does not wait for (giving back stock after a failed order, say),
 * and work repeated on a timer (a recovery pass). Shutdown stops the timers and waits for
 * what is running before the pools it needs are closed.
 */
export interface BackgroundTasks {
  /** Keeps track of a task; the task handles and logs its own failure. */
  track(task: Promise<unknown>): void;
  /** Runs `job` now and then `intervalMs` after each run ends, until `settle`. */
  every(intervalMs: number, job: () => Promise<unknown>): void;
  /**
   * Stops the timers and resolves when every tracked task has ended, or after `timeoutMs`:
   * with how many are still running.
   */
  settle(timeoutMs: number): Promise<number>;
}

export function createBackgroundTasks(): BackgroundTasks {
  const pending = new Set<Promise<unknown>>();
  const timers = new Set<NodeJS.Timeout>();
  let settling = false;

  function track(task: Promise<unknown>): void {
    const tracked: Promise<unknown> = task.catch(() => undefined).finally(() => pending.delete(tracked));
    pending.add(tracked);
  }

  return {
    track,
    every(intervalMs, job) {
      const run = (): void => {
        if (settling) return;
        const task = job();
        track(task);
        void task
          .catch(() => undefined)
          .finally(() => {
            if (settling) return;
            // unref: a timer alone never keeps the process alive.
            const timer = setTimeout(() => {
              timers.delete(timer);
              run();
            }, intervalMs).unref();
            timers.add(timer);
          });
      };
      run();
    },
    async settle(timeoutMs) {
      settling = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
      await Promise.race([Promise.all(pending), timedOut]);
      clearTimeout(timer);
      return pending.size;
    },
  };
}
