import { describe, expect, it } from 'vitest';
import { underLoad } from './load.js';
import { containers, swarmScript } from './swarm.js';

describe('scaling the gateway under traffic', () => {
  it('goes from 2 tasks to 4 and back to 2 with no failed request', async () => {
    const { report } = await underLoad(async () => {
      await swarmScript('scale.sh', 'api-gateway', '4');
      expect(await containers('api-gateway')).toHaveLength(4);
      // Long enough for nginx to re-resolve the name and spread requests over all four.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      await swarmScript('scale.sh', 'api-gateway', '2');
      expect(await containers('api-gateway')).toHaveLength(2);
    });
    expect(report.failed).toEqual([]);
    expect(report.exactlyOnce).toBe(true);
  });
});
