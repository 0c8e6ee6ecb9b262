import { mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { compose, nginxPort, waitHealthy } from './stack.js';

const BOXES = ['nginx', 'api-gateway', 'users', 'products', 'orders', 'users-db', 'products-db', 'orders-db', 'redis'];
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(() => browser?.close());

/** The console in a fresh page, collecting what would show in its devtools as a problem. */
async function openConsole(viewport = { width: 1280, height: 900 }): Promise<{ page: Page; problems: string[] }> {
  const page = await (await browser.newContext({ viewport })).newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
  await page.goto(`http://127.0.0.1:${await nginxPort()}/`);
  return { page, problems };
}

const box = (page: Page, name: string) => page.locator(`[data-box="${name}"]`);

async function waitAllUp(page: Page): Promise<void> {
  for (const name of BOXES) await box(page, name).and(page.locator('[data-state="up"]')).waitFor({ timeout: 30_000 });
}

async function createProduct(page: Page, name: string, euros: string, stock: number): Promise<void> {
  const form = page.locator('[data-form="create-product"]');
  await form.getByLabel('Product name').fill(name);
  await form.getByLabel('Price in euros').fill(euros);
  await form.getByLabel('Stock').fill(String(stock));
  await form.getByRole('button', { name: 'Create product' }).click();
  await page.locator('[data-result="create-product"][data-outcome="ok"]').waitFor();
  await page.locator('li[data-product-id]', { hasText: name }).waitFor();
}

/** The newest log entry for a method and path, once it has its answer. */
function logEntry(page: Page, method: string, pathPrefix: string) {
  return page.locator(`article.log-entry[data-method="${method}"][data-path^="${pathPrefix}"][data-status]`).first();
}

describe('the web console, in a browser', () => {
  it('runs the shop: a user, two products, an order of both, sent again and replayed; each request logged with its id, cache and hops', async () => {
    const { page, problems } = await openConsole();
    await waitAllUp(page);

    const email = `console.${unique()}@example.com`;
    const users = page.locator('[data-form="create-user"]');
    await users.getByLabel('Email').fill(email);
    await users.getByLabel('Name').fill('Console Tester');
    await users.getByRole('button', { name: 'Create user' }).click();
    await page.locator('[data-result="create-user"][data-outcome="ok"]').waitFor();
    // The new user becomes the customer the order form and the orders list use.
    const userId = (await page.locator('[data-result="create-user"] code').textContent())?.trim();
    await expect.poll(() => page.getByLabel('Customer', { exact: true }).inputValue()).toBe(userId);

    const mug = `Mug ${unique()}`;
    const tea = `Tea ${unique()}`;
    await createProduct(page, mug, '12.50', 10);
    await createProduct(page, tea, '3.99', 5);

    // Read twice: the products service answers from its database, then from Redis.
    await page.getByRole('button', { name: `Read ${mug}` }).click();
    await page.locator('[data-result="read-product"] [data-field="x-cache"]', { hasText: 'miss' }).waitFor();
    await page.getByRole('button', { name: `Read ${mug}` }).click();
    await page.locator('[data-result="read-product"] [data-field="x-cache"]', { hasText: 'hit' }).waitFor();
    const hit = logEntry(page, 'GET', '/api/products/');
    await expect.poll(() => hit.locator('[data-field="x-cache"]').textContent()).toContain('hit');
    // Where the time went, hop by hop: the browser, nginx, the gateway and its call, products and its cache.
    for (const hop of ['browser', 'nginx', 'gateway', 'gateway-products', 'products', 'products-cache']) {
      await hit.locator(`[data-waterfall] li[data-timing="${hop}"]`).first().waitFor();
    }

    // One order, two lines.
    await page.getByRole('button', { name: `Add to order: ${mug}` }).click();
    await page.getByRole('button', { name: 'Add line' }).click();
    const teaId = (await page.locator('li[data-product-id]', { hasText: tea }).getAttribute('data-product-id')) ?? '';
    await page.getByLabel('Product, line 2').selectOption(teaId);
    await page.getByLabel('Quantity, line 1').fill('2');
    await page.getByLabel('Quantity, line 2').fill('3');
    const key = (await page.locator('[data-field="idempotency-key"]').textContent())?.trim();
    expect(key).toMatch(/[0-9a-f-]{36}/);
    await page.getByRole('button', { name: 'Place order' }).click();
    const orderId = (await page.locator('[data-result="place-order"] [data-field="order-id"]').textContent())?.trim() ?? '';
    expect(orderId).not.toBe('');
    const placed = logEntry(page, 'POST', '/api/orders');
    await expect.poll(() => placed.getAttribute('data-status')).toBe('201');
    const requestId = (await placed.getAttribute('data-request-id')) ?? '';
    expect(requestId).toMatch(/^[A-Za-z0-9._:-]+$/);
    await expect.poll(() => placed.locator('[data-field="log-command"]').textContent()).toContain(`docker compose logs | grep ${requestId}`);
    for (const hop of ['gateway-orders', 'orders', 'orders-users', 'orders-products', 'users', 'products']) {
      await placed.locator(`[data-waterfall] li[data-timing="${hop}"]`).first().waitFor();
    }

    // Send again: the same key, so the same order comes back instead of a second one.
    await page.getByRole('button', { name: 'Send again' }).click();
    await page.locator('[data-result="place-order"] [data-field="replayed"]').waitFor();
    const replayed = logEntry(page, 'POST', '/api/orders');
    await expect.poll(() => replayed.getAttribute('data-request-id')).not.toBe(requestId);
    await replayed.locator('[data-field="replayed"]').waitFor();

    // The screenshot the README shows, in a known state: an order just
    // sent again, its waterfall at the top of the request log.
    const shots = path.join(inject('stack').root, 'test', 'stack', '.screenshots');
    mkdirSync(shots, { recursive: true });
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: path.join(shots, 'console.png') });
    await page.getByRole('button', { name: 'See orders' }).click();
    await page.locator(`li[data-order-id="${orderId}"]`).waitFor();
    expect(await page.locator('li[data-order-id]').count()).toBe(1);

    const accessibility = await new AxeBuilder({ page }).analyze();
    const serious = accessibility.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    expect(serious.map((violation) => `${violation.id}: ${violation.help}`)).toEqual([]);

    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('fits a phone’s width without scrolling sideways, and every control is reachable by keyboard', async () => {
    const { page, problems } = await openConsole({ width: 390, height: 844 });
    await waitAllUp(page);
    // (Expressions as strings: they run in the page, where the DOM is.)
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    // Tab through the page: focus lands on each button and field in turn, never on nothing.
    const reached = new Set<string>();
    for (let i = 0; i < 40; i += 1) {
      await page.keyboard.press('Tab');
      reached.add(await page.evaluate<string>("`${document.activeElement?.tagName}:${document.activeElement?.textContent?.trim().slice(0, 20) ?? ''}`"));
    }
    expect([...reached].some((entry) => entry.startsWith('BUTTON:Create user'))).toBe(true);
    expect([...reached].some((entry) => entry.startsWith('INPUT'))).toBe(true);
    expect([...reached].filter((entry) => entry.startsWith('BODY'))).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('shows the products breaker open within 10 s of `docker compose stop products`, and closed again after `start`', async () => {
    const { page } = await openConsole();
    await waitAllUp(page);
    await compose('stop', 'products');
    try {
      // The product list's auto-refresh is the traffic that finds products dead.
      await box(page, 'products').and(page.locator('[data-breaker="open"]')).waitFor({ timeout: 10_000 });
      expect(await box(page, 'products').getAttribute('data-state')).toBe('down');
      expect(await box(page, 'products-db').getAttribute('data-state')).toBe('unknown');
      expect(await box(page, 'users').getAttribute('data-state')).toBe('up');
    } finally {
      await compose('start', 'products');
    }
    await waitHealthy('products');
    await box(page, 'products').and(page.locator('[data-state="up"][data-breaker="closed"]')).waitFor({ timeout: 30_000 });
    await page.context().close();
  });
});
