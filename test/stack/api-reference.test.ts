import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser.js';
import { api, customer, nginxPort } from './stack.js';

// The reference is the gateway's: nginx passes /api/ through, so it needs nothing of its own.
describe('API reference', () => {
  it('serves the OpenAPI document and Swagger UI rendering it, through nginx', async () => {
    const document = await api<{ openapi: string; paths: Record<string, unknown> }>('/api/openapi.json');
    expect(document.status).toBe(200);
    expect(document.body.openapi).toMatch(/^3\.1\./);
    expect(Object.keys(document.body.paths)).toContain('/api/orders');

    const page = await api('/api/docs/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).toContain('swagger-initializer.js');
    for (const file of ['swagger-ui-bundle.js', 'swagger-ui.css', 'swagger-initializer.js']) {
      expect((await api(`/api/docs/${file}`)).status, file).toBe(200);
    }
  });

  describe('in a browser', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchBrowser();
    });
    afterAll(() => browser?.close());

    it("takes a token through Swagger UI's Authorize and sends it: GET /api/users/me answers 200 with the caller", async () => {
      const ann = await customer();
      const page = await (await browser.newContext()).newPage();
      await page.goto(`http://127.0.0.1:${await nginxPort()}/api/docs/`);
      await page.locator('button.authorize').first().click();
      await page.locator('.auth-container input').first().fill(ann.accessToken);
      await page.locator('.auth-btn-wrapper button.authorize').click();
      await page.locator('.auth-btn-wrapper button.btn-done').click();
      const operation = page.locator('#operations-users-getMe');
      await operation.locator('.opblock-summary').click();
      await operation.locator('button.try-out__btn').click();
      await operation.locator('button.execute').click();
      const status = operation.locator('.live-responses-table .response .response-col_status').first();
      await expect.poll(() => status.textContent(), { timeout: 15_000 }).toContain('200');
      expect(await operation.locator('.live-responses-table .microlight').first().textContent()).toContain(ann.id);
      // Without Authorize, the same call is refused.
      const anonymous = await (await browser.newContext()).newPage();
      await anonymous.goto(`http://127.0.0.1:${await nginxPort()}/api/docs/`);
      const again = anonymous.locator('#operations-users-getMe');
      await again.locator('.opblock-summary').click();
      await again.locator('button.try-out__btn').click();
      await again.locator('button.execute').click();
      await expect.poll(() => again.locator('.live-responses-table .response .response-col_status').first().textContent(), { timeout: 15_000 }).toContain('401');
    });
  });
});
