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
