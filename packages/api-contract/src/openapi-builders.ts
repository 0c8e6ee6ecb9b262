import { z } from 'zod';
import { idSchema, pageOf } from './common.js';

// The pieces the OpenAPI document is assembled from (openapi.ts): each one a zod schema
// turned into what OpenAPI 3.1 expects, so the document cannot drift from the validation.

type JsonSchema = Record<string, unknown>;

/** A zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect): what a client sends, or what it gets. */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

const json = (schema: z.ZodType, io: 'input' | 'output') => ({ 'application/json': { schema: jsonSchema(schema, io) } });

// Every status a client may meet, and why; an operation lists those it can answer.
const ERRORS: Record<number, string> = {
  400: 'The request is malformed or has invalid fields (each one in `details`).',
  401: 'Not signed in: no access token where one is needed (`unauthorized`), or one that is invalid or expired (`invalid_token`: refresh it); wrong credentials at login. See `WWW-Authenticate`.',
  403: 'Signed in, but not allowed: an admin’s operation, someone else’s data, a wrong current password, or a cookie sent from another site.',
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
export const WITH_BODY = [400, 413, 415];

export const header = (description: string, schema: JsonSchema = { type: 'string' }) => ({ description, schema });
const REQUEST_ID = header('Yours when you sent a sane one (1 to 128 of `A-Za-z0-9._:-`), else a new one.');
const ERROR_HEADERS: Record<number, Record<string, unknown>> = {
  401: { 'WWW-Authenticate': header('`Bearer realm="shopstack"`, with `error="invalid_token"` for a token that was refused (RFC 6750 §3).') },
  429: { 'Retry-After': header('Seconds to wait.', { type: 'integer', minimum: 0 }) },
  503: { 'Retry-After': header('Seconds to wait.', { type: 'integer', minimum: 0 }) },
};

/** How a client proves who it is: the access token from POST /api/auth/login, as a bearer token. */
export const securitySchemes = {
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'The `accessToken` of POST /api/auth/login or /api/auth/refresh, valid 15 minutes.',
  },
};

// Who may call an operation, as its `security` says. The services decide the rest (an
// admin's operation, someone else's data: 403 or 404).
export const ANYONE: Array<Record<string, string[]>> = [];
export const SIGNED_IN = [{ bearerAuth: [] }];
/** Anyone; a token, when sent, changes the answer (an admin sees more). */
export const ANYONE_OR_SIGNED_IN = [{}, { bearerAuth: [] }];

/** The refresh token, in the cookie login sets: the browser sends it by itself, on /api/auth only. */
export const refreshCookie = {
  name: 'refresh_token',
  in: 'cookie',
  required: false,
  description: 'Set by login (`HttpOnly; SameSite=Strict; Path=/api/auth`): a browser sends it by itself.',
  schema: { type: 'string' },
};
export const setRefreshCookie = header('`refresh_token=…; Path=/api/auth; HttpOnly; SameSite=Strict; Max-Age=…`: a new refresh token each time.');

export function responses(success: Record<number, { description: string; schema?: z.ZodType; headers?: Record<string, unknown> }>, errors: number[]) {
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

export const notModified = { description: 'Not modified: the copy named by `If-None-Match` is current.' };
export const created = (what: string, schema: z.ZodType, headers: Record<string, unknown> = {}) => ({
  description: `${what} created.`,
  schema,
  headers: { Location: header('Where it can be read.'), ...headers },
});
export const body = (schema: z.ZodType) => ({ required: true, content: json(schema, 'input') });
export const cacheHeader = header('`hit` or `miss` of the service cache; `stale` when the gateway served its last good copy.', {
  type: 'string',
  enum: ['hit', 'miss', 'stale'],
});

/** Who may list, and what refusals they may meet besides a bad query (401, 403). */
interface ListAccess {
  security: Array<Record<string, string[]>>;
  errors: number[];
}

export const listOf = (what: string, item: z.ZodType, query: z.ZodObject, operationId: string, tag: string, { security, errors }: ListAccess) => ({
  get: {
    operationId,
    summary: `A page of ${what}, newest first`,
    security,
    parameters: queryParameters(query),
    responses: responses({ 200: { description: `A page of ${what}.`, schema: pageOf(item) }, 304: notModified }, [400, ...errors]),
    tags: [tag],
  },
});

/** One reusable response per error status, all with the one error body. */
export function errorResponses() {
  return Object.fromEntries(
    Object.entries(ERRORS).map(([status, description]) => [
      `Error${status}`,
      {
        description,
        headers: { 'X-Request-ID': REQUEST_ID, ...ERROR_HEADERS[Number(status)] },
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      },
    ]),
  );
}

export const idParameter = { name: 'id', in: 'path', required: true, schema: jsonSchema(idSchema, 'input') };
