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
