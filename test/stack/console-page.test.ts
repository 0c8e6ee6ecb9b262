import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { api, asAdmin, rawRequest } from './stack.js';

/** The files the page loads, from its own markup. */
async function pageAssets(): Promise<string[]> {
  const page = await api('/');
  return [...page.text.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((match) => match[1]!);
}

describe('the web console, as files', () => {
  it('serves the page at / (and /index.html) with a strict policy and no caching', async () => {
    expect((await api('/index.html')).text).toBe((await api('/')).text);
    const page = await api('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).toContain('<title>');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    // Nothing inline that the policy would block: every script and style is a file.
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page.text).not.toMatch(/<style|\sstyle="/);
  });

  it('serves hashed assets cacheable for a year, gzipped, and says 404 in JSON for one that is missing', async () => {
    const assets = (await pageAssets()).filter((path) => path.startsWith('/assets/'));
    expect(assets.some((path) => path.endsWith('.js'))).toBe(true);
    expect(assets.some((path) => path.endsWith('.css'))).toBe(true);
    let gzippedBytes = 0;
    for (const path of assets) {
      expect(path).toMatch(/-[\w-]{8,}\.(js|css)$/);
      const res = await rawRequest('GET', path, { 'accept-encoding': 'gzip' });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('content-encoding'), path).toBe('gzip');
      gzippedBytes += res.raw.length;
      expect(gunzipSync(res.raw).length).toBeGreaterThan(res.raw.length);
    }
    // The page's own code is small: far below 300 kB gzipped.
    expect(gzippedBytes).toBeLessThan(300 * 1024);
    console.log(`the console's scripts and styles: ${(gzippedBytes / 1024).toFixed(1)} kB gzipped`);

    const missing = await api('/assets/index-00000000.js');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'not_found', requestId: missing.headers.get('x-request-id') });
  });

  it('keeps answering JSON everywhere else: unknown paths, /api and its routes', async () => {
    for (const path of ['/index.php', '/assets', '/favicon.ico', '/api', '/api/unknown']) {
      const res = await api(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toContain('application/json');
      expect(res.body.error.code, path).toBe('not_found');
    }
    // The console's status view: the overall status for anyone, each service for an admin.
    const status = await api('/api/status');
    expect(status.status).toBe(200);
    // Not the console's policy: the API's answers carry only a framing one.
    expect(status.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
    expect(status.body).toEqual({ status: expect.any(String) });
    const detailed = await asAdmin('/api/status');
    expect(detailed.status).toBe(200);
    expect(detailed.body).toMatchObject({ status: expect.any(String), services: { users: { ready: true } } });
    expect((await api('/health')).body).toEqual({ status: 'ok' });
  });
});
