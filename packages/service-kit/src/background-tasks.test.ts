import { describe, expect, it } from 'vitest';
import { createBackgroundTasks } from './background-tasks.js';

const after = (ms: number, fail = false) =>
  new Promise<void>((resolve, reject) => setTimeout(() => (fail ? reject(new Error('failed')) : resolve()), ms));

describe('background tasks', () => {
  it('settles once every task has ended, failed ones included', async () => {
    const tasks = createBackgroundTasks();
    tasks.track(after(20));
    tasks.track(after(40, true));
    expect(await tasks.settle(5000)).toBe(0);
    expect(await tasks.settle(0)).toBe(0);
  });

  it('stops waiting after the timeout and says how many are still running', async () => {
    const tasks = createBackgroundTasks();
    tasks.track(after(10));
    tasks.track(new Promise(() => undefined)); // never ends
    const startedAt = Date.now();
    expect(await tasks.settle(100)).toBe(1);
    expect(Date.now() - startedAt).toBeLessThan(2000);
  });
});

describe('repeated background work', () => {
  it('runs at once, then again after each run, and stops at settle, waiting for the run in progress', async () => {
    const tasks = createBackgroundTasks();
    let runs = 0;
    let running = false;
    tasks.every(10, async () => {
      expect(running).toBe(false);
      running = true;
      runs += 1;
      await after(20);
      running = false;
    });
    expect(runs).toBe(1);
    await after(200);
    expect(runs).toBeGreaterThan(2);
    expect(runs).toBeLessThan(10);
    expect(await tasks.settle(1000)).toBe(0);
    const stoppedAt = runs;
    await after(100);
    expect(runs).toBe(stoppedAt);
    expect(running).toBe(false);
  });

  it('keeps repeating after a run fails', async () => {
    const tasks = createBackgroundTasks();
    let runs = 0;
    tasks.every(5, async () => {
      runs += 1;
      throw new Error('products is down');
    });
    await after(100);
    expect(runs).toBeGreaterThan(2);
    await tasks.settle(1000);
  });
});
