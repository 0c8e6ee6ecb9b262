// Runs a task again and again while the page is visible: a setTimeout chain, so a slow
// answer never overlaps the next call, and nothing at all runs in a hidden tab (the stack
// should not see traffic from a console nobody is looking at).

export interface Loop {
  start(options?: { now?: boolean }): void;
  stop(): void;
  /** Runs the task now rather than at its next turn (unless it is running already). */
  kick(): void;
}

export function visibleLoop(task: () => Promise<void>, intervalMs: number): Loop {
  let enabled = false;
  let running = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const clear = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  const schedule = (delay: number): void => {
    clear();
    if (enabled && !running && !document.hidden) timer = setTimeout(() => void run(), delay);
  };
  const run = async (): Promise<void> => {
    timer = undefined;
    if (!enabled || running) return;
    running = true;
    try {
      await task();
    } catch (error) {
      console.warn('background task failed', error);
    } finally {
      running = false;
    }
    schedule(intervalMs);
  };

  document.addEventListener('visibilitychange', () => {
    if (document.hidden) clear();
    else if (enabled && !running && timer === undefined) void run();
  });

  return {
    start(options = {}) {
      enabled = true;
      if (options.now) void run();
      else schedule(intervalMs);
    },
    stop() {
      enabled = false;
      clear();
    },
    kick() {
      if (!enabled || running || document.hidden) return;
      clear();
      void run();
    },
  };
}
