import { z } from 'zod';
import { pageOf } from './common.js';

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

export const listOf = (what: string, item: z.ZodType, query: z.ZodObject, operationId: string, tag: string) => ({
  get: {
    operationId,
    summary: `A page of ${what}, newest first`,
    parameters: queryParameters(query),
    responses: responses({ 200: { description: `A page of ${what}.`, schema: pageOf(item) }, 304: notModified }, [400]),
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
        headers: {
          'X-Request-ID': REQUEST_ID,
          ...([429, 503].includes(Number(status)) ? { 'Retry-After': header('Seconds to wait.', { type: 'integer', minimum: 0 }) } : {}),
        },
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      },
    ]),
  );
}
