import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { metricsRule, routeLabels, scrapeNodeServices } from '../../tools/metrics-check.js';
import { api } from './stack.js';
import { NODE_SERVICES } from './stack-env.js';

const run = promisify(execFile);
const { projectName, root } = inject('stack');

// The metrics part of `npm run check` (exercise 10 of docs/cours.md) on the running stack:
// it reads every Node service's /metrics from inside its container, and finds their route
// labels bounded. Its verdict on raw paths is tools/metrics-check.test.ts's (catching one
// here would mean building a broken image).
beforeAll(() => {
  // The tool talks to the project of its environment, as `npm run check` does.
  process.env['COMPOSE_PROJECT_NAME'] = projectName;
});

describe('the metrics check', () => {
  it('reads every Node service, and finds route templates after requests for many product ids', async () => {
    for (let i = 0; i < 60; i++) await api(`/api/products/${randomUUID()}`);
    const scrapes = await scrapeNodeServices();
    expect(scrapes.map(({ container }) => container.replace(`${projectName}-`, '').replace(/-\d+$/, '')).sort()).toEqual([...NODE_SERVICES].sort());
    for (const { container, text, error } of scrapes) expect(text, `${container}: ${error}`).toBeDefined();
    expect(metricsRule(scrapes).failures).toEqual([]);
    const products = scrapes.find(({ container }) => container.includes('-products-'))!;
    expect(routeLabels(products.text!)).toContain('/products/:id');
  });

  it('says so in npm run check', async () => {
    const { stdout } = await run('node', ['tools/dist/check.js'], {
      cwd: root,
      env: { ...process.env, COMPOSE_PROJECT_NAME: projectName },
      timeout: 90_000,
    }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    expect(stdout).toContain('✓ [Monitoring] each Node service labels its requests by route template');
  });
});
