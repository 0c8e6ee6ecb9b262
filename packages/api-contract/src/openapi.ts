import { z } from 'zod';
import { idSchema, pageOf, paginationQuery } from './common.js';
import { errorResponse } from './errors.js';
import { createOrderBody, idempotencyKeyHeader, listOrdersQuery, order } from './orders.js';
import { createProductBody, product, updateProductBody } from './products.js';
import { statusResponse } from './status.js';
import { createUserBody, user } from './users.js';

type JsonSchema = Record<string, unknown>;

/** A zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect): what a client sends, or what it gets. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

const json = (schema: z.ZodType, io: 'input' | 'output') => ({ 'application/json': { schema: jsonSchema(schema, io) } });

// Every status a client may meet, and why; an operation lists those it can answer.
const ERRORS: Record<number, string> = {
  400: 'The request is malformed or has invalid fields (each one in `details`).',
  404: 'No such resource.',
  409: 'The request conflicts with the current state.',
  413: 'The body is too large: 100 kB per service, 1 MB at the edge.',
  415: 'The body is not `application/json` in UTF-8, or its `Content-Encoding` is unknown.',
  422: 'The request refers to something that does not exist, or reuses an Idempotency-Key.',
  429: 'Too many requests from this address: see `Retry-After` and `RateLimit-*`.',
  500: 'An unexpected failure.',
  502: 'A service behind the gateway failed.',
  503: 'A service or its database is unavailable: see `Retry-After`.',
  504: 'A service behind the gateway did not answer in time.',
};
const ANY_CALL = [429, 500, 502, 503, 504];
const WITH_BODY = [400, 413, 415];

const header = (description: string, schema: JsonSchema = { type: 'string' }) => ({ description, schema });
const REQUEST_ID = header('Yours when you sent a sane one (1 to 128 of `A-Za-z0-9._:-`), else a new one.');

function responses(success: Record<number, { description: string; schema?: z.ZodType; headers?: Record<string, unknown> }>, errors: number[]) {
  const answers: Record<string, unknown> = {};
  for (const [status, { description, schema, headers }] of Object.entries(success)) {
    answers[status] = {
      description,
      headers: { 'X-Request-ID': REQUEST_ID, ...headers },
      ...(schema ? { content: json(schema, 'output') } : {}),
    };
  }
  for (const status of [...new Set([...errors, ...ANY_CALL])].sort()) answers[String(status)] = { $ref: `#/components/responses/Error${status}` };
  return answers;
}

/** Query parameters from an object schema: each field's own schema, required unless optional. */
function queryParameters(schema: z.ZodObject) {
  const { properties = {}, required = [] } = jsonSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(properties).map(([name, fieldSchema]) => ({ name, in: 'query', required: required.includes(name), schema: fieldSchema }));
}

const idParameter = { name: 'id', in: 'path', required: true, schema: jsonSchema(idSchema, 'input') };
const notModified = { description: 'Not modified: the copy named by `If-None-Match` is current.' };
const created = (what: string, schema: z.ZodType, headers: Record<string, unknown> = {}) => ({
  description: `${what} created.`,
  schema,
  headers: { Location: header('Where it can be read.'), ...headers },
});
const body = (schema: z.ZodType) => ({ required: true, content: json(schema, 'input') });
const cacheHeader = header('`hit` or `miss` of the service cache; `stale` when the gateway served its last good copy.', {
  type: 'string',
  enum: ['hit', 'miss', 'stale'],
});

const listOf = (what: string, item: z.ZodType, query: z.ZodObject, operationId: string) => ({
  get: {
    operationId,
    summary: `A page of ${what}, newest first`,
    parameters: queryParameters(query),
    responses: responses({ 200: { description: `A page of ${what}.`, schema: pageOf(item) }, 304: notModified }, [400]),
  },
});

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
        ...tagged('users', listOf('users', user, paginationQuery, 'listUsers')),
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
        ...tagged('products', listOf('products', product, paginationQuery, 'listProducts')),
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
        ...tagged('orders', listOf("a user's orders", order, listOrdersQuery, 'listOrders')),
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
      responses: Object.fromEntries(
        Object.entries(ERRORS).map(([status, description]) => [
          `Error${status}`,
          {
            description,
            headers: {
              'X-Request-ID': REQUEST_ID,
              ...([429, 503].includes(Number(status)) ? { 'Retry-After': header('Seconds to wait.', { type: 'integer', minimum: 0 }) } : {}),
            },
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
          },
        ]),
      ),
    },
  };
}

function tagged<T extends { get: object }>(tag: string, item: T): T {
  return { ...item, get: { ...item.get, tags: [tag] } };
}
