import { z } from 'zod';
import { idSchema, paginationQuery } from './common.js';
import { errorResponse } from './errors.js';
import {
  body,
  cacheHeader,
  created,
  errorResponses,
  header,
  jsonSchema,
  listOf,
  notModified,
  responses,
  WITH_BODY,
} from './openapi-builders.js';
import { createOrderBody, idempotencyKeyHeader, listOrdersQuery, order } from './orders.js';
import { createProductBody, product, updateProductBody } from './products.js';
import { statusResponse } from './status.js';
import { createUserBody, user } from './users.js';

const idParameter = { name: 'id', in: 'path', required: true, schema: jsonSchema(idSchema, 'input') };

const DESCRIPTION = `The public API of shopstack, generated from the schemas that validate its requests.

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
    // A teaching stack: no authentication, stated rather than left out.
    security: [],
    tags: [
      { name: 'users', description: 'Registration and lookup (users service).' },
      { name: 'products', description: 'The catalogue and its stock (products service), with a stale copy while it is down.' },
      { name: 'orders', description: 'Orders: all items reserved or none, idempotent with a key (orders service).' },
      { name: 'gateway', description: 'What the gateway answers itself.' },
    ],
    paths: {
      '/api/users': {
        post: {
          operationId: 'createUser',
          tags: ['users'],
          summary: 'Register a user',
          requestBody: body(createUserBody),
          responses: responses({ 201: created('The user', user) }, [...WITH_BODY, 409]),
        },
        ...listOf('users', user, paginationQuery, 'listUsers', 'users'),
      },
      '/api/users/{id}': {
        get: {
          operationId: 'getUser',
          tags: ['users'],
          summary: 'Read a user',
          parameters: [idParameter],
          responses: responses({ 200: { description: 'The user.', schema: user, headers: { 'X-Cache': cacheHeader } }, 304: notModified }, [400, 404]),
        },
      },
      '/api/products': {
        post: {
          operationId: 'createProduct',
          tags: ['products'],
          summary: 'Add a product',
          requestBody: body(createProductBody),
          responses: responses({ 201: created('The product', product) }, WITH_BODY),
        },
        ...listOf('products', product, paginationQuery, 'listProducts', 'products'),
      },
      '/api/products/{id}': {
        get: {
          operationId: 'getProduct',
          tags: ['products'],
          summary: 'Read a product (its last good copy while products is down)',
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
            [400, 404],
          ),
        },
        patch: {
          operationId: 'updateProduct',
          tags: ['products'],
          summary: 'Change a product',
          parameters: [idParameter],
          requestBody: body(updateProductBody),
          responses: responses({ 200: { description: 'The product as changed.', schema: product } }, [...WITH_BODY, 404]),
        },
      },
      '/api/orders': {
        post: {
          operationId: 'placeOrder',
          tags: ['orders'],
          summary: 'Place an order: all items reserved, or none',
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description: 'Send the same key again and the same order comes back (`Idempotent-Replayed: true`).',
              schema: jsonSchema(idempotencyKeyHeader.unwrap(), 'input'),
            },
          ],
          requestBody: body(createOrderBody),
          responses: responses(
            { 201: created('The order', order, { 'Idempotent-Replayed': header('`true` on a replay.', { type: 'string', enum: ['true'] }) }) },
            [...WITH_BODY, 409, 422],
          ),
        },
        ...listOf("a user's orders", order, listOrdersQuery, 'listOrders', 'orders'),
      },
      '/api/orders/{id}': {
        get: {
          operationId: 'getOrder',
          tags: ['orders'],
          summary: 'Read an order',
          parameters: [idParameter],
          responses: responses({ 200: { description: 'The order.', schema: order }, 304: notModified }, [400, 404]),
        },
      },
      '/api/status': {
        get: {
          operationId: 'getStatus',
          tags: ['gateway'],
          summary: "Each service's readiness and the gateway's breakers",
          responses: responses({ 200: { description: 'The status.', schema: statusResponse } }, []),
        },
      },
      '/api/openapi.json': {
        get: {
          operationId: 'getOpenApiDocument',
          tags: ['gateway'],
          summary: 'This document',
          responses: responses({ 200: { description: 'The OpenAPI document.', schema: z.looseObject({ openapi: z.string() }) } }, []),
        },
      },
    },
    components: {
      schemas: { Error: jsonSchema(errorResponse, 'output') },
      responses: errorResponses(),
    },
  };
}
