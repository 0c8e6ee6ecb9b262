import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Credentials } from '../shop.js';
import { nginxPort } from './stack.js';

// What the console's browser tests share: opening the page, signing in and out through its
// forms, and the checks every flow ends with.

export const BOXES = ['nginx', 'api-gateway', 'users', 'products', 'orders', 'users-db', 'products-db', 'orders-db', 'redis'];

export interface OpenConsole {
  page: Page;
  /** What would show in the page's devtools as a problem. */
  problems: string[];
  /** Every access token the page received (from log-in and refresh answers). */
  tokens: string[];
  /** Each API request the page sent, with whether it carried a bearer token. */
  requests: { method: string; path: string; bearer?: string }[];
}

// At load the page asks POST /api/auth/refresh whether its cookie holds a session; without
// one the answer is a 401, which Chromium reports in the console like any failed load. That
// one is expected; any other is a problem.
const isSessionCheck = (text: string, url: string) => url.endsWith('/api/auth/refresh') && text.includes('status of 401');

/** The console in a fresh browser context (its own cookies), watched. */
export async function openConsole(browser: Browser, viewport = { width: 1280, height: 900 }): Promise<OpenConsole> {
  const page = await (await browser.newContext({ viewport })).newPage();
  const opened: OpenConsole = { page, problems: [], tokens: [], requests: [] };
  page.on('console', (message) => {
    const { url } = message.location();
    if (message.type() === 'error' && !isSessionCheck(message.text(), url)) opened.problems.push(`console: ${message.text()} (${url})`);
  });
  page.on('pageerror', (error) => opened.problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    // A reload or a navigation cancels the GETs still in flight (the status poll): the
    // browser's own doing, not a failure of the stack.
    if (request.failure()?.errorText === 'net::ERR_ABORTED' && request.method() === 'GET') return;
    opened.problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`);
  });
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (!url.pathname.startsWith('/api/')) return;
    const bearer = /^Bearer (.+)$/.exec(request.headers()['authorization'] ?? '')?.[1];
    opened.requests.push({ method: request.method(), path: url.pathname + url.search, ...(bearer ? { bearer } : {}) });
  });
  page.on('response', (response) => {
    if (!/\/api\/auth\/(login|refresh)$/.test(new URL(response.url()).pathname) || response.status() !== 200) return;
    response.json().then(
      (body: { accessToken?: string }) => body.accessToken && opened.tokens.push(body.accessToken),
      () => undefined,
    );
  });
  await page.goto(`http://127.0.0.1:${await nginxPort()}/`);
  return opened;
}

/** The session the header shows: checking, anonymous, customer or admin. */
export const session = (page: Page, state: string) => page.locator(`[data-session="${state}"]`);

export const box = (page: Page, name: string) => page.locator(`[data-box="${name}"]`);

/** Every box up: only an admin's /api/status says so much. */
export async function waitAllUp(page: Page): Promise<void> {
  for (const name of BOXES) await box(page, name).and(page.locator('[data-state="up"]')).waitFor({ timeout: 30_000 });
}

export async function logIn(page: Page, { email, password }: Credentials, role: 'customer' | 'admin'): Promise<void> {
  await session(page, 'anonymous').waitFor();
  const form = page.locator('[data-form="log-in"]');
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Log in' }).click();
  await session(page, role).waitFor();
}

/** Signs up through the page, which then logs the new customer in. */
export async function signUp(page: Page, { email, password }: Credentials, name: string): Promise<void> {
  await session(page, 'anonymous').waitFor();
  const form = page.locator('[data-form="sign-up"]');
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Sign up' }).click();
  await session(page, 'customer').waitFor();
}

export async function logOut(page: Page): Promise<void> {
  // The page shows itself signed out at once; the server's answer, which clears the cookie,
  // comes a moment later: wait for both.
  const answered = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/auth/logout');
  await page.getByRole('button', { name: 'Log out' }).click();
  expect((await answered).status()).toBe(204);
  await session(page, 'anonymous').waitFor();
}

/** The newest log entry for a method and path, once it has its answer. */
export function logEntry(page: Page, method: string, pathPrefix: string) {
  return page.locator(`article.log-entry[data-method="${method}"][data-path^="${pathPrefix}"][data-status]`).first();
}

/**
 * The access token stays in the page's memory: nothing in localStorage, sessionStorage or a
 * cookie scripts can read holds any token it was given, and the refresh cookie is HttpOnly,
 * SameSite=Strict and sent to /api/auth only.
 */
export async function expectNoTokenStored({ page, tokens }: OpenConsole): Promise<void> {
  expect(tokens.length).toBeGreaterThan(0);
  const stored = await page.evaluate<{ local: string[]; session: string[]; cookie: string }>(
    '({ local: Object.entries(localStorage).flat(), session: Object.entries(sessionStorage).flat(), cookie: document.cookie })',
  );
  expect(stored).toEqual({ local: [], session: [], cookie: '' });
  const cookies = await page.context().cookies();
  for (const cookie of cookies) for (const token of tokens) expect(cookie.value).not.toContain(token);
  const refresh = cookies.find((cookie) => cookie.name === 'refresh_token');
  if (refresh) expect(refresh).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/auth' });
}

/** No serious or critical accessibility problem (axe-core) in what the page shows now. */
export async function expectAccessible(page: Page): Promise<void> {
  const accessibility = await new AxeBuilder({ page }).analyze();
  const serious = accessibility.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  expect(serious.map((violation) => `${violation.id}: ${violation.help}`)).toEqual([]);
}
