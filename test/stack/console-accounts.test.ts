import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unique } from '../shop.js';
import { launchBrowser } from './browser.js';
import {
  box,
  expectAccessible,
  expectNoTokenStored,
  logEntry,
  logIn,
  logOut,
  openConsole,
  session,
  signUp,
  waitAllUp,
} from './console-browser.js';
import { ADMIN } from './stack-env.js';
import { createProduct, customer, placeOrder } from './stack.js';

// The console per role (issue 18): what anonymous visitors, customers and the admin see and
// may do, and a session that lives in the page's memory and the HttpOnly cookie only.

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(() => browser?.close());

const CARDS = { account: '.card-account', newProduct: '.card-new-product', editProduct: '.card-edit-product', order: '.card-order', orders: '.card-orders', users: '.card-users' };

/** Which of the role-dependent cards the page shows. */
async function visibleCards(page: Page): Promise<string[]> {
  const shown: string[] = [];
  for (const [name, selector] of Object.entries(CARDS)) if (await page.locator(selector).isVisible()) shown.push(name);
  return shown;
}

/** The page's own orders list, once loaded. */
async function listedOrders(page: Page): Promise<string[]> {
  await page.locator('[data-field="orders-of"]').waitFor();
  await page.locator('.card-orders li').first().waitFor();
  return page.locator('li[data-order-id]').evaluateAll((items) => items.map((item) => item.getAttribute('data-order-id') ?? ''));
}

describe('the web console, per role', () => {
  it('lets a visitor read the catalogue and sign up; the customer orders, sees their own orders only, keeps the session over a reload and logs out, no token ever stored', async () => {
    const product = await createProduct(50, 250);
    const opened = await openConsole(browser);
    const { page, problems, requests } = opened;

    // Anonymous: the catalogue, log-in and sign-up; /api/status says only "ok" or "degraded".
    await session(page, 'anonymous').waitFor();
    const row = page.locator(`li[data-product-id="${product.id}"]`);
    await row.waitFor();
    expect(await visibleCards(page)).toEqual(['account']);
    expect(await row.getByRole('button').allTextContents()).toEqual(['Read']);
    await page.locator('[data-field="status-scope"]').waitFor();
    expect(await box(page, 'api-gateway').getAttribute('data-state')).toBe('up');
    expect(await box(page, 'users').getAttribute('data-state')).toBe('unknown');
    await expectAccessible(page);

    // A wrong password is refused, with the API's own words.
    const email = `console.${unique()}@example.com`;
    const password = `pw-${randomUUID()}`;
    const login = page.locator('[data-form="log-in"]');
    await login.getByLabel('Email').fill(email);
    await login.getByLabel('Password').fill(password);
    await login.getByRole('button', { name: 'Log in' }).click();
    await page.locator('[data-result="log-in"][data-outcome="error"]', { hasText: 'invalid_credentials' }).waitFor();
    // Chromium reports that 401 in the console, as it does any: expected here, and only here.
    await expect.poll(() => problems.length).toBe(1);
    expect(problems.splice(0)).toEqual([expect.stringMatching(/status of 401 .*\/api\/auth\/login\)$/)]);

    // Sign up: the new customer is logged in straight away.
    await signUp(page, { email, password }, 'Console Customer');
    await page.locator('[data-field="signed-in-as"]', { hasText: `Console Customer <${email}>` }).waitFor();
    expect(await page.locator('[data-field="user-role"]').textContent()).toBe('customer');
    expect(await visibleCards(page)).toEqual(['order', 'orders']);
    expect(await row.getByRole('button').allTextContents()).toEqual(['Read', 'Add to order']);
    await page.locator('[data-field="orders-of"]', { hasText: 'Your orders' }).waitFor();
    await page.locator('.card-orders li.empty', { hasText: 'No orders yet.' }).waitFor();

    // An order, placed as themself: the body names nobody, the token says who.
    await row.getByRole('button', { name: /^Add to order/ }).click();
    await page.getByRole('button', { name: 'Place order' }).click();
    const orderId = (await page.locator('[data-result="place-order"] [data-field="order-id"]').textContent())?.trim() ?? '';
    expect(orderId).toMatch(/^[0-9a-f-]{36}$/);
    await page.locator(`li[data-order-id="${orderId}"]`).waitFor();
    expect(await listedOrders(page)).toEqual([orderId]);
    const order = requests.find((r) => r.method === 'POST' && r.path === '/api/orders');
    expect(order?.bearer).toBeDefined();
    expect(requests.filter((r) => r.path.startsWith('/api/users?'))).toEqual([]); // never the user list
    await expectAccessible(page);

    // Log out and in again through the form.
    await logOut(page);
    expect(await visibleCards(page)).toEqual(['account']);
    expect(await page.locator('li[data-order-id]').count()).toBe(0);
    await logIn(page, { email, password }, 'customer');
    await page.locator(`li[data-order-id="${orderId}"]`).waitFor();

    // A reload keeps the session: the cookie alone brings a new access token.
    await page.reload();
    await session(page, 'customer').waitFor();
    await page.locator(`li[data-order-id="${orderId}"]`).waitFor();
    await expect.poll(() => logEntry(page, 'POST', '/api/auth/refresh').getAttribute('data-status')).toBe('200');
    await expect.poll(() => opened.tokens.length).toBeGreaterThanOrEqual(3); // sign-up's login, the login, the refresh
    await expectNoTokenStored(opened);
    // Every call after the reload that needs a token carries the newest one.
    const newest = opened.tokens.at(-1);
    const afterReload = requests.filter((r) => r.path.startsWith('/api/orders') && r.bearer === newest);
    expect(afterReload.length).toBeGreaterThan(0);

    // Log out: the cookie is gone, and a reload finds no session.
    await logOut(page);
    expect((await page.context().cookies()).filter((cookie) => cookie.name === 'refresh_token')).toEqual([]);
    await page.reload();
    await session(page, 'anonymous').waitFor();
    await expect.poll(() => logEntry(page, 'POST', '/api/auth/refresh').getAttribute('data-status')).toBe('401');
    expect(await visibleCards(page)).toEqual(['account']);
    await expectNoTokenStored(opened);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('shows another customer none of the first one’s orders', async () => {
    const first = await customer();
    const product = await createProduct(10, 100);
    expect((await placeOrder(first, product.id, 1)).status).toBe(201);
    const other = await customer();

    const { page, problems } = await openConsole(browser);
    await logIn(page, other, 'customer');
    await page.locator('.card-orders li.empty', { hasText: 'No orders yet.' }).waitFor();
    expect(await page.locator('li[data-order-id]').count()).toBe(0);
    expect(await visibleCards(page)).toEqual(['order', 'orders']);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('gives the admin every service’s state, the product forms and the user list; the admin creates and changes a product and reads a customer’s orders', async () => {
    const buyer = await customer();
    const bought = await createProduct(20, 500);
    const placed = await placeOrder(buyer, bought.id, 2);
    expect(placed.status).toBe(201);

    const opened = await openConsole(browser);
    const { page, problems } = opened;
    await logIn(page, ADMIN, 'admin');
    await page.locator('[data-field="signed-in-as"]', { hasText: ADMIN.email }).waitFor();
    expect(await page.locator('[data-field="user-role"]').textContent()).toBe('admin');

    // The detailed /api/status: every box, no "admins only" note.
    await waitAllUp(page);
    expect(await page.locator('[data-field="status-scope"]').isHidden()).toBe(true);
    expect(await visibleCards(page)).toEqual(['newProduct', 'editProduct', 'order', 'orders', 'users']);

    // The user list, newest first: the customer made above, with their role.
    const buyerRow = page.locator(`[data-list="users"] li[data-user-id="${buyer.id}"]`);
    await buyerRow.waitFor();
    expect(await buyerRow.textContent()).toContain(buyer.email);
    expect(await buyerRow.locator('.role').textContent()).toBe('customer');

    // Create a product.
    const name = `Lamp ${unique()}`;
    const create = page.locator('[data-form="create-product"]');
    await create.getByLabel('Product name').fill(name);
    await create.getByLabel('Price in euros').fill('24.00');
    await create.getByLabel('Stock').fill('4');
    await create.getByRole('button', { name: 'Create product' }).click();
    await page.locator('[data-result="create-product"][data-outcome="ok"]').waitFor();
    const row = page.locator('li[data-product-id]', { hasText: name });
    await row.waitFor();
    expect(await row.getByRole('button').allTextContents()).toEqual(['Read', 'Add to order', 'Edit']);

    // Change it: only what changed is sent.
    await page.getByRole('button', { name: `Edit ${name}` }).click();
    const change = page.locator('[data-form="change-product"]');
    expect(await change.getByLabel('Product name').inputValue()).toBe(name);
    expect(await change.getByLabel('Price in euros').inputValue()).toBe('24.00');
    await change.getByLabel('Price in euros').fill('19.90');
    await change.getByLabel('Stock').fill('9');
    await change.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('[data-result="change-product"][data-outcome="ok"]').waitFor();
    await expect.poll(() => row.locator('.product-meta').textContent()).toBe('€19.90 · stock 9');
    const patch = logEntry(page, 'PATCH', '/api/products/');
    await expect.poll(() => patch.getAttribute('data-status')).toBe('200');

    // Any customer's orders, from the user list; then back to the admin's own.
    await buyerRow.getByRole('button', { name: /^Orders of/ }).click();
    await page.locator('[data-field="orders-of"]', { hasText: buyer.email }).waitFor();
    await page.locator(`li[data-order-id="${placed.body.id}"]`).waitFor();
    await page.getByRole('button', { name: 'Back to my orders' }).click();
    await page.locator('[data-field="orders-of"]', { hasText: 'Your orders' }).waitFor();
    expect(await page.locator(`li[data-order-id="${placed.body.id}"]`).count()).toBe(0);

    await expectAccessible(page);
    await expectNoTokenStored(opened);

    // Logged out, the admin's cards go with the session.
    await logOut(page);
    expect(await visibleCards(page)).toEqual(['account']);
    expect(await page.locator('[data-list="users"] li').count()).toBe(0);
    await page.locator('[data-field="status-scope"]').waitFor();
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
