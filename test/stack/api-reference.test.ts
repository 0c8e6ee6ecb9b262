import { describe, expect, it } from 'vitest';
import { api } from './stack.js';

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
});
