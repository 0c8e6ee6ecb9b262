import { fileURLToPath } from 'node:url';
import { loadConfig, lintFromString } from '@redocly/openapi-core';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from './openapi.js';

describe('the OpenAPI document', () => {
  it('passes the OpenAPI linter (Redocly, its recommended rules: see redocly.yaml)', async () => {
    const config = await loadConfig({ configPath: fileURLToPath(new URL('../../../redocly.yaml', import.meta.url)) });
    const problems = await lintFromString({ source: JSON.stringify(openApiDocument()), absoluteRef: 'openapi.json', config });
    expect(problems.map((problem) => `${problem.severity} ${problem.ruleId}: ${problem.message} at ${problem.location[0]?.pointer}`)).toEqual([]);
  });

  it('states the limits the schemas enforce', () => {
    const text = JSON.stringify(openApiDocument());
    for (const limit of ['"maximum":100000000', '"maximum":1000000', '"maxLength":254', '"maxLength":200', '"maxLength":2000', '"maxLength":100', '"maxItems":50']) {
      expect(text).toContain(limit);
    }
  });
});

describe('who may call each operation, as the document says', () => {
  const operations = () =>
    Object.values(openApiDocument().paths).flatMap((item) =>
      Object.values(item as Record<string, { operationId: string; security: unknown[]; responses: Record<string, unknown> }>),
    );

  it('declares the bearer scheme Swagger UI’s Authorize button fills in', () => {
    expect(openApiDocument().components.securitySchemes).toEqual({ bearerAuth: expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }) });
  });

  it('states each operation’s security: none for the public ones, the bearer token for the rest', () => {
    const security = Object.fromEntries(operations().map((operation) => [operation.operationId, operation.security]));
    const anyone: unknown[] = [];
    const signedIn = [{ bearerAuth: [] }];
    expect(security).toEqual({
      createUser: anyone,
      listUsers: signedIn,
      getMe: signedIn,
      updateMe: signedIn,
      getUser: signedIn,
      createProduct: signedIn,
      listProducts: anyone,
      getProduct: anyone,
      updateProduct: signedIn,
      placeOrder: signedIn,
      listOrders: signedIn,
      getOrder: signedIn,
      logIn: anyone,
      refreshToken: anyone,
      logOut: anyone,
      getSigningKeys: anyone,
      // Anyone; an admin's token shows the details.
      getStatus: [{}, { bearerAuth: [] }],
      getOpenApiDocument: anyone,
      getMonitoringOverview: signedIn,
    });
  });

  it('documents a 401 wherever a token is read, and a 403 wherever a signed-in caller may be refused', () => {
    for (const operation of operations()) {
      const signedIn = operation.security.length > 0 && operation.operationId !== 'getStatus';
      if (signedIn) expect(Object.keys(operation.responses), operation.operationId).toContain('401');
    }
    const refusing = operations().filter((operation) => '403' in operation.responses).map((operation) => operation.operationId);
    expect(refusing.sort()).toEqual(['createProduct', 'getMonitoringOverview', 'listOrders', 'listUsers', 'logIn', 'logOut', 'placeOrder', 'refreshToken', 'updateMe', 'updateProduct']);
  });

  it('says how to authenticate on a 401', () => {
    expect(openApiDocument().components.responses['Error401']).toHaveProperty(['headers', 'WWW-Authenticate']);
  });
});
