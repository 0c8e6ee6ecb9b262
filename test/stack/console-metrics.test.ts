import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { expectAccessible, logIn, openConsole, session } from './console-browser.js';
import { ADMIN } from './stack-env.js';
import { api, asAdmin, compose, waitForClosedBreakers, waitHealthy } from './stack.js';

// The console's metrics panel (issue 22) with the stack's Prometheus: the admin opens it and
// sees each service's graphs; products stopped from a terminal shows on them within a scrape
// or two (5 s each), and so does the gateway's breaker towards it opening.

const SERVICES = ['api-gateway', 'users', 'products', 'orders'];

let browser: Browser;

beforeAll(async () => {
  const overview = await asAdmin('/api/monitoring/overview');
  if (overview.status !== 200) {
    throw new Error(`GET /api/monitoring/overview answered ${overview.status} ${JSON.stringify(overview.body)}: these tests need the stack's Prometheus running`);
  }
  browser = await launchBrowser();
});

afterAll(() => browser?.close());

const row = (page: Page, service: string) => page.locator(`[data-metrics-service="${service}"]`);
/** A row once its data says `attribute` is one of `values`. */
const rowWhere = (page: Page, service: string, attribute: string, values: string[]) =>
  page.locator(values.map((value) => `[data-metrics-service="${service}"][data-${attribute}="${value}"]`).join(', '));
/** The number a chart of a row shows now (its `data-value`), NaN without one. */
const shown = async (page: Page, service: string, field: string) => Number((await row(page, service).locator(`[data-field="${field}"]`).getAttribute('data-value')) || NaN);

describe('the console’s metrics panel', () => {
  it('is the admin’s: anyone else is told to log in, and the page does not ask for the graphs', async () => {
    const { page, requests, problems } = await openConsole(browser);
    await session(page, 'anonymous').waitFor();
    await page.locator('#metrics summary').click();
    await page.locator('[data-field="metrics-scope"]').waitFor();
    expect(await page.locator('#metrics .metrics').isVisible()).toBe(false);
    await page.waitForTimeout(1000);
    expect(requests.filter((r) => r.path.startsWith('/api/monitoring'))).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('draws each service, and shows products stopped and back within a scrape or two', async () => {
    const { page, problems } = await openConsole(browser);
    await logIn(page, ADMIN, 'admin');
    await page.locator('#metrics summary').click();
    for (const service of SERVICES) await rowWhere(page, service, 'up', ['up']).waitFor({ timeout: 60_000 });
    await row(page, 'reservations').waitFor();
    expect(await page.locator('[data-field="metrics-scope"]').isVisible()).toBe(false);
    for (const service of SERVICES) expect(await row(page, service).locator('svg.chart').count(), service).toBe(service === 'api-gateway' ? 3 : 4);
    expect(await row(page, 'products').getAttribute('data-breaker')).toBe('closed');
    await expectAccessible(page);

    await compose('stop', 'products');
    try {
      const stoppedAt = Date.now();
      // Calls to products through the gateway meanwhile, as a shop's visitors would make: they
      // fail (503), and the gateway's breaker towards products opens.
      let calling = true;
      const traffic = (async () => {
        while (calling) {
          await api('/api/products?limit=1').catch(() => undefined);
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      })();
      try {
        await rowWhere(page, 'products', 'up', ['down']).waitFor({ timeout: 30_000 });
        const seenAfter = Date.now() - stoppedAt;
        await rowWhere(page, 'products', 'breaker', ['open', 'half-open']).waitFor({ timeout: 30_000 });
        await expect.poll(() => shown(page, 'api-gateway', 'errors'), { timeout: 30_000 }).toBeGreaterThan(0);
        await expect.poll(() => row(page, 'products').locator('[data-field="breakers"]').textContent()).toMatch(/Gateway’s breaker to products: \S+, opened [1-9]\d* times?/);
        console.log(`products shown down ${(seenAfter / 1000).toFixed(1)} s after it was stopped`);
        // Two scrapes (5 s each), the panel's own 5 s, and a slow stop's grace.
        expect(seenAfter).toBeLessThan(25_000);
      } finally {
        calling = false;
        await traffic;
      }
    } finally {
      await compose('start', 'products');
      await waitHealthy('products');
    }
    await rowWhere(page, 'products', 'up', ['up']).waitFor({ timeout: 60_000 });
    // The next test opens the shop again: its product list must not meet a breaker still open.
    await waitForClosedBreakers();
    // The shop's product list kept reading the catalogue meanwhile: those 503s were expected.
    expect(problems.filter((problem) => !/status of 503 .*\/api\/products\?/.test(problem))).toEqual([]);
    await page.context().close();
  });

  it('says how to start Prometheus again while it does not answer, and draws again once it does', async () => {
    const { page, problems } = await openConsole(browser);
    await logIn(page, ADMIN, 'admin');
    const problem = page.locator('[data-field="metrics-problem"]');
    await compose('stop', 'prometheus');
    try {
      await page.locator('#metrics summary').click();
      await problem.locator('code', { hasText: 'docker compose up -d --wait prometheus' }).waitFor({ timeout: 30_000 });
      expect(await problem.textContent()).toContain('503 monitoring_unavailable');
      expect(await page.locator('#metrics .metrics').isVisible()).toBe(false);
      await expectAccessible(page);
    } finally {
      await compose('start', 'prometheus');
    }
    // It asks again by itself every 30 s; the button asks at once (Prometheus may still be starting).
    await expect
      .poll(
        async () => {
          await problem.getByRole('button', { name: 'Try again now' }).click({ timeout: 1000 }).catch(() => undefined);
          return page.locator('#metrics .metrics').isVisible();
        },
        { timeout: 60_000, interval: 2000 },
      )
      .toBe(true);
    await rowWhere(page, 'products', 'up', ['up']).waitFor({ timeout: 30_000 });
    expect(problems.filter((line) => !/status of 503 .*\/api\/monitoring\/overview/.test(line))).toEqual([]);
    await page.context().close();
  });
});
