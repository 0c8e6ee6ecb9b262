import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import { openApiDocument } from '@shopstack/api-contract';
import { routeLabel } from '@shopstack/metrics';
import { mountRoutes } from '@shopstack/service-kit';

// Swagger UI's own page loads this file to start; the package's copy points at a demo API.
// A file rather than an inline script, so a strict Content-Security-Policy allows it.
const INITIALIZER = `window.onload = () => {
  window.ui = SwaggerUIBundle({ url: '../openapi.json', dom_id: '#swagger-ui', deepLinking: true });
};
`;

/**
 * GET /api/openapi.json, the document generated from the schemas the services validate
 * with, and /api/docs/, Swagger UI's static files rendering it.
 */
export function serveApiReference(app: Express): void {
  const document = JSON.stringify(openApiDocument());
  const files = dirname(fileURLToPath(import.meta.resolve('swagger-ui-dist/package.json')));
  mountRoutes(app, '/', [], {
    '/api/openapi.json': { get: (_req, res) => void res.type('json').send(document) },
    '/api/docs/swagger-initializer.js': { get: (_req, res) => void res.type('js').send(INITIALIZER) },
  });
  // express.static answers /api/docs with a redirect to /api/docs/, where the page's relative links work.
  app.use('/api/docs', routeLabel('/api/docs/*'), express.static(files, { index: 'index.html', maxAge: '1h' }));
}
