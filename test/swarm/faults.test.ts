import { describe, expect, it } from 'vitest';
import { underLoad } from './load.js';
import { containers, docker, waitForReplicas } from './swarm.js';
import type { Service } from './swarm-env.js';

/** SIGKILLs one task's container, as a crash or the OOM killer would; Swarm starts another. */
async function killOneTask(service: Service): Promise<void> {
  const before = await containers(service);
  await docker('kill', '--signal', 'KILL', before[0]!);
  await waitForReplicas(service, before.length);
  const after = await containers(service);
  expect(after).not.toContain(before[0]);
}

describe('a task killed under traffic', () => {
  it('is replaced, and no request fails: a gateway task and a users task at once', async () => {
    const { report } = await underLoad(() => Promise.all([killOneTask('api-gateway'), killOneTask('users')]));
    expect(report.failed).toEqual([]);
    expect(report.orders).toBeGreaterThan(10);
    expect(report.exactlyOnce).toBe(true);
  });
});
