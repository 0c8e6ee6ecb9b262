import { randomUUID } from 'node:crypto';
import type { RequestListener } from 'node:http';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import request from 'supertest';

// ajv-formats is CommonJS: its default export arrives wrapped under ESM.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

interface Operation {
  responses: Record<string, { $ref?: string; content?: Record<string, unknown> }>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { responses?: Record<string, { content?: Record<string, unknown> }> };
}

export interface ContractOptions {
  /** Where the app under test sits in the document: '/api' for a service, '' for the gateway. */
  prefix?: string;
  /** Paths outside the public API (health, internal routes), whose answers are not checked. */
  ignore?: RegExp;
}

const pointer = (...parts: string[]) => `#/${parts.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

/**
 * Every answer a test receives, checked against the OpenAPI document: the route and its
 * status are documented, the body matches the schema documented for that status, and an
 * answer for a route the document lacks is at least a documented error. Violations are
 * collected, for the test file to assert none after each test.
 */
export function createContract(document: object, { prefix = '', ignore = /^\/(health|ready)$/ }: ContractOptions = {}) {
  const doc = document as OpenApiDocument;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(document, 'openapi');
  const validatorFor = (ref: string) => ajv.getSchema(`openapi${ref}`) ?? ajv.compile({ $ref: `openapi${ref}` });
  const routes = Object.keys(doc.paths).filter((path) => path.startsWith(prefix)).map((path) => ({
    path,
    pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }));
  const violations: string[] = [];

  function check(method: string, url: string, status: number, headers: Record<string, string>, body: unknown, text: string): void {
    const path = `${prefix}${new URL(url, 'http://test').pathname}`;
    if (ignore.test(path.slice(prefix.length))) return;
    const what = `${method} ${path} → ${status}`;
    const route = routes.find((candidate) => candidate.pattern.test(path));
    const operation = route && doc.paths[route.path]?.[method === 'HEAD' ? 'get' : method.toLowerCase()];
    if (method === 'OPTIONS' && status < 400) {
      if (status !== 204 || !headers['allow']) violations.push(`${what}: OPTIONS must answer 204 with Allow`);
      return;
    }
    if (status === 405 && !headers['allow']) violations.push(`${what}: a 405 must carry Allow`);
    let schemaRef: string | undefined;
    if (operation && route) {
      const response = operation.responses[String(status)];
      if (!response) return void violations.push(`${what}: status not documented`);
      const at = response.$ref ? response.$ref.replace(/^#\//, '').split('/') : ['paths', route.path, method === 'HEAD' ? 'get' : method.toLowerCase(), 'responses', String(status)];
      const content = (response.$ref ? doc.components?.responses?.[at[2]!] : response)?.content;
      if (content?.['application/json']) schemaRef = pointer(...at, 'content', 'application/json', 'schema');
    } else if (status >= 400) {
      schemaRef = '#/components/schemas/Error';
    } else {
      return void violations.push(`${what}: route not in the document`);
    }
    if (!schemaRef || method === 'HEAD' || status === 304) return;
    const validate = validatorFor(schemaRef);
    const value = body !== undefined && (typeof body !== 'object' || body === null || Object.keys(body).length > 0) ? body : tryJson(text);
    if (!validate(value)) violations.push(`${what}: body does not match the document: ${ajv.errorsText(validate.errors)}`);
  }

  /** supertest's request(app), with every answer checked. */
  function checked(app: RequestListener | string) {
    const agent = request(app);
    const wrap =
      (method: 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head' | 'options') =>
      (url: string): request.Test =>
        agent[method](url).on('response', (res: request.Response) => {
          check(method.toUpperCase(), url, res.status, res.headers as Record<string, string>, res.body, res.text);
        });
    return { get: wrap('get'), post: wrap('post'), put: wrap('put'), patch: wrap('patch'), delete: wrap('delete'), head: wrap('head'), options: wrap('options') };
  }

  /**
   * What `app` serves on each documented path, asked over HTTP: OPTIONS there (an id where
   * the path has a parameter) answers with the methods it allows. As "METHOD /path", sorted,
   * HEAD left out as the document leaves it out: equal to `documented` when app and document agree.
   */
  async function served(app: RequestListener | string, headers: Record<string, string> = {}): Promise<string[]> {
    const allowed = await Promise.all(
      routes.map(async ({ path }) => {
        const res = await request(app).options(path.slice(prefix.length).replace(/\{[^}]+\}/g, randomUUID())).set(headers);
        const methods = String(res.headers['allow'] ?? '').split(', ');
        return methods.filter((method) => method && method !== 'HEAD').map((method) => `${method} ${path}`);
      }),
    );
    return allowed.flat().sort();
  }

  return {
    request: checked,
    served,
    /** Every documented operation, as `served` lists them. */
    documented: (): string[] =>
      routes.flatMap(({ path }) => Object.keys(doc.paths[path]!).map((method) => `${method.toUpperCase()} ${path}`)).sort(),
    /** What was found since the last call, and forgets it: assert it is empty after each test. */
    takeViolations(): string[] {
      return violations.splice(0);
    },
  };
}

function tryJson(text: string | undefined): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

export type Contract = ReturnType<typeof createContract>;
