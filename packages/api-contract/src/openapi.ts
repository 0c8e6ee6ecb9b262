import { z } from 'zod';
import { paginationQuery } from './common.js';
import { accountPaths } from './openapi-account-paths.js';
import { errorResponse } from './errors.js';
import {
  ANYONE,
  ANYONE_OR_SIGNED_IN,
  body,
  cacheHeader,
  created,
  errorResponses,
  header,
  idParameter,
  jsonSchema,
  listOf,
  notModified,
  responses,
  securitySchemes,
  SIGNED_IN,
  WITH_BODY,
} from './openapi-builders.js';
import { createOrderBody, idempotencyKeyHeader, listOrdersQuery, order } from './orders.js';
import { monitoringOverview } from './monitoring.js';
import { createProductBody, product, updateProductBody } from './products.js';
import { statusResponse } from './status.js';

// Which dependency is down tells an attacker where to push: only an admin gets the details.
const statusForAnyoneOrAdmin = z.union([
  statusResponse.pick({ status: true }).meta({ description: 'What anyone gets.' }),
  statusResponse.meta({ description: 'What an admin gets.' }),
]);

const DESCRIPTION = `The public API of shopstack, generated from the schemas that validate its requests.

- **Signing in.** \`POST /api/users\` creates a customer; \`POST /api/auth/login\` answers an access token, valid 15 minutes, and sets a refresh token cookie that \`POST /api/auth/refresh\` trades for a new pair. Send the access token as \`Authorization: Bearer …\` (in this page: **Authorize**). Each operation states whether it needs one; reading products, signing up and in need none.
- **Who may do what.** A customer reads and changes themself, places orders as themself and reads their own; an admin may also change products, list and read users, read any order, and read the monitoring overview. No token where one is needed, or a bad one: 401 with \`WWW-Authenticate\`. Signed in but not allowed: 403; someone else's order or user is a 404, as if it did not exist.
- Bodies are \`application/json\` in UTF-8; unknown body fields are refused (\`is not allowed\`), so a typo never loses data silently. Unknown query parameters are ignored, as caches and proxies add their own.
- Every error has one shape, \`{ error: { code, message, requestId, details? } }\`, from nginx, the gateway or a service alike; \`details\` is always a list of problems.
- A method a path does not support is a 405 with \`Allow\`; \`OPTIONS\` answers 204 with \`Allow\`; \`HEAD\` answers what \`GET\` would, without the body.
- Every answer carries \`X-Request-ID\` and \`Server-Timing\`.`;

/** The OpenAPI 3.1 document of the public API (what nginx serves under /api). */
export function openApiDocument() {
  return {
    openapi: '3.1.1',
    info: { title: 'shopstack API', version: '1.0.0', description: DESCRIPTION, license: { name: 'MIT', identifier: 'MIT' } },
    servers: [{ url: '/', description: 'The stack, through nginx' }],
    // Signed in unless an operation says otherwise (each one does).
    security: SIGNED_IN,
    tags: [
      { name: 'auth', description: 'Logging in, staying logged in, logging out, and the keys tokens are signed with (users service).' },
      { name: 'users', description: 'Registration, your own account, and lookup for admins (users service).' },
      { name: 'products', description: 'The catalogue and its stock (products service), with a stale copy while it is down.' },
      { name: 'orders', description: 'Orders: all items reserved or none, idempotent with a key (orders service).' },
      { name: 'gateway', description: 'What the gateway answers itself.' },
    ],
    paths: {
      ...accountPaths(),
      '/api/products': {
        post: {
          operationId: 'createProduct',
          tags: ['products'],
          summary: 'Add a product (admin)',
          security: SIGNED_IN,
          requestBody: body(createProductBody),
          responses: responses({ 201: created('The product', product) }, [...WITH_BODY, 401, 403]),
        },
        ...listOf('products', product, paginationQuery, 'listProducts', 'products', { security: ANYONE, errors: [401] }),
      },
      '/api/products/{id}': {
        get: {
          operationId: 'getProduct',
          tags: ['products'],
          summary: 'Read a product (its last good copy while products is down)',
          security: ANYONE,
          parameters: [idParameter],
          responses: responses(
            {
              200: {
                description: 'The product.',
                schema: product,
                headers: { 'X-Cache': cacheHeader, Age: header('Seconds since a stale copy was stored.', { type: 'integer', minimum: 0 }) },
              },
              304: notModified,
            },
            [400, 401, 404],
          ),
        },
        patch: {
          operationId: 'updateProduct',
          tags: ['products'],
          summary: 'Change a product (admin)',
          security: SIGNED_IN,
          parameters: [idParameter],
          requestBody: body(updateProductBody),
          responses: responses({ 200: { description: 'The product as changed.', schema: product } }, [...WITH_BODY, 401, 403, 404]),
        },
      },
      '/api/orders': {
        post: {
          operationId: 'placeOrder',
          tags: ['orders'],
          summary: 'Place an order for yourself: all items reserved, or none',
          security: SIGNED_IN,
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description: 'Send the same key again and the same order comes back (`Idempotent-Replayed: true`). A key is yours alone: another user sending it places their own order.',
              schema: jsonSchema(idempotencyKeyHeader.unwrap(), 'input'),
            },
          ],
          requestBody: body(createOrderBody),
          responses: responses(
            { 201: created('The order', order, { 'Idempotent-Replayed': header('`true` on a replay.', { type: 'string', enum: ['true'] }) }) },
            [...WITH_BODY, 401, 403, 409, 422],
          ),
        },
        ...listOf("your orders (any user's for an admin)", order, listOrdersQuery, 'listOrders', 'orders', { security: SIGNED_IN, errors: [401, 403] }),
      },
      '/api/orders/{id}': {
        get: {
          operationId: 'getOrder',
          tags: ['orders'],
          summary: 'Read one of your orders (any order for an admin)',
          security: SIGNED_IN,
          parameters: [idParameter],
          responses: responses({ 200: { description: 'The order.', schema: order }, 304: notModified }, [400, 401, 404]),
        },
      },
      '/api/status': {
        get: {
          operationId: 'getStatus',
          tags: ['gateway'],
          summary: "Whether the shop is healthy; for an admin, each service's readiness and the gateway's breakers",
          security: ANYONE_OR_SIGNED_IN,
          responses: responses({ 200: { description: 'The status.', schema: statusForAnyoneOrAdmin } }, [401]),
        },
      },
      '/api/monitoring/overview': {
        get: {
          operationId: 'getMonitoringOverview',
          tags: ['gateway'],
          summary: 'The last 15 minutes of each service, from Prometheus (admin)',
          description:
            'Requests per second, error ratio and p95 of each service, its breakers and the pending reservations, read by the gateway from Prometheus with fixed queries: nothing of the request chooses what is asked. `503 monitoring_unavailable` when Prometheus does not answer (it is stopped or still starting: `docker compose up -d --wait prometheus`).',
          security: SIGNED_IN,
          responses: responses({ 200: { description: 'The series to draw.', schema: monitoringOverview } }, [401, 403]),
        },
      },
      '/api/openapi.json': {
        get: {
          operationId: 'getOpenApiDocument',
          tags: ['gateway'],
          summary: 'This document',
          security: ANYONE,
          responses: responses({ 200: { description: 'The OpenAPI document.', schema: z.looseObject({ openapi: z.string() }) } }, []),
        },
      },
    },
    components: {
      schemas: { Error: jsonSchema(errorResponse, 'output') },
      responses: errorResponses(),
      securitySchemes,
    },
  };
}
