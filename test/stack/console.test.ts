import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { box, expectAccessible, logEntry, logIn, openConsole, session, waitAllUp } from './console-browser.js';
import { ADMIN } from './stack-env.js';
import { asAdmin, compose, waitHealthy } from './stack.js';

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(() => browser?.close());

async function createProduct(page: Page, name: string, euros: string, stock: number): Promise<void> {
  const form = page.locator('[data-form="create-product"]');
  await form.getByLabel('Product name').fill(name);
  await form.getByLabel('Price in euros').fill(euros);
  await form.getByLabel('Stock').fill(String(stock));
  await form.getByRole('button', { name: 'Create product' }).click();
  await page.locator('[data-result="create-product"][data-outcome="ok"]').waitFor();
  await page.locator('li[data-product-id]', { hasText: name }).waitFor();
}

describe('the web console, in a browser', () => {
  it('runs the shop as the admin: two products, an order of both, sent again and replayed; each request logged with its id, cache and hops', async () => {
    const { page, problems } = await openConsole(browser);
    await logIn(page, ADMIN, 'admin');
    await waitAllUp(page);

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

    // One order, two lines, placed for the admin (an order is always the caller's own).
    const ordersBefore = (await asAdmin('/api/orders?limit=1')).body.total as number;
    await page.locator('[data-field="ordering-as"]', { hasText: ADMIN.email }).waitFor();
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
    expect(await page.locator(`li[data-order-id="${orderId}"]`).count()).toBe(1);
    // Sent twice, placed once.
    expect((await asAdmin('/api/orders?limit=1')).body.total).toBe(ordersBefore + 1);

    await expectAccessible(page);

    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('fits a phone’s width without scrolling sideways, and every control is reachable by keyboard', async () => {
    const { page, problems } = await openConsole(browser, { width: 390, height: 844 });
    await session(page, 'anonymous').waitFor();
    await expect.poll(() => page.locator('[data-field="range"]').textContent()).not.toBe('Loading…');
    // (Expressions as strings: they run in the page, where the DOM is.)
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    // Tab through the page: focus lands on each button and field in turn, never on nothing.
    // (20 presses: the header, the account forms and the product list, short of the page's end.)
    const reached = new Set<string>();
    for (let i = 0; i < 20; i += 1) {
      await page.keyboard.press('Tab');
      reached.add(await page.evaluate<string>("`${document.activeElement?.tagName}:${document.activeElement?.textContent?.trim().slice(0, 20) ?? ''}`"));
    }
    expect([...reached].some((entry) => entry.startsWith('BUTTON:Log in'))).toBe(true);
    expect([...reached].some((entry) => entry.startsWith('BUTTON:Sign up'))).toBe(true);
    expect([...reached].some((entry) => entry.startsWith('INPUT'))).toBe(true);
    expect([...reached].filter((entry) => entry.startsWith('BODY'))).toEqual([]);

    // The admin sees the most: every box's details, the product forms, the user list.
    await page.evaluate('window.scrollTo(0, 0)');
    await logIn(page, ADMIN, 'admin');
    await waitAllUp(page);
    await page.locator('[data-list="users"] li').first().waitFor();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('shows the products breaker open within 10 s of `docker compose stop products`, and closed again after `start`', async () => {
    const { page } = await openConsole(browser);
    await logIn(page, ADMIN, 'admin');
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
