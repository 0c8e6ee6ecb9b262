import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { composeProject } from '../../bench/compose-project.js';
import { timeDevLoop } from '../../bench/time-dev-loop.js';
import { api, waitHealthy } from './stack.js';
import { STACK_ENV } from './stack-env.js';

describe('the dev loop (compose.dev.yml)', () => {
  it('rebuilds and replaces a service when its sources change, while the stack keeps serving', async () => {
    const options = { ...inject('stack'), env: STACK_ENV };
    const seconds = await timeDevLoop(composeProject(options), { ...options, service: 'products', sourceDir: 'services/products/src' });
    // The time is a figure for `npm run bench`; here only a bound that catches a loop that never fires.
    console.log(`dev loop: source change → new products container healthy in ${seconds} s`);
    expect(seconds).toBeLessThan(240);
    await waitHealthy('products');
    expect((await api('/api/products?limit=1')).status).toBe(200);
  }, 300_000);
});
