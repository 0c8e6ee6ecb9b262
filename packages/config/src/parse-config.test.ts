import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, env, parseConfig } from './index.js';

const schema = z.object({
  PORT: env.port().default(3000),
  DATABASE_URL: env.url(['postgres', 'postgresql']),
  REDIS_URL: env.url(['redis']),
  LOG_LEVEL: env.logLevel().default('info'),
  API_SECRET: env.string(),
});

const valid = {
  DATABASE_URL: 'postgres://app:secret@db:5432/app',
  REDIS_URL: 'redis://redis:6379',
  API_SECRET: 's3cret',
};

describe('parseConfig', () => {
  it('returns typed values and applies defaults', () => {
    const config = parseConfig(schema, valid);
    expect(config).toEqual({ ...valid, PORT: 3000, LOG_LEVEL: 'info' });
  });

  it('converts numbers and trims values', () => {
    expect(parseConfig(schema, { ...valid, PORT: ' 8080 ' }).PORT).toBe(8080);
  });

  it('names every bad or missing key in one message', () => {
    const attempt = () =>
      parseConfig(schema, { PORT: '80a', DATABASE_URL: 'mysql://db/app', LOG_LEVEL: 'loud' });
    expect(attempt).toThrow(ConfigError);
    let problems: readonly string[] = [];
    try {
      attempt();
    } catch (error) {
      problems = (error as ConfigError).problems;
      expect((error as Error).message).toMatch(/^Invalid configuration \(5 problems\): /);
    }
    expect(problems).toEqual([
      'PORT must be a whole number',
      'DATABASE_URL must be a URL starting with postgres:// or postgresql://',
      'REDIS_URL is required but not set',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
      'API_SECRET is required but not set',
    ]);
  });

  it('takes an empty variable as unset: its default applies, and a required one is reported missing', () => {
    expect(parseConfig(schema, { ...valid, PORT: '', LOG_LEVEL: '' })).toMatchObject({ PORT: 3000, LOG_LEVEL: 'info' });
    expect(() => parseConfig(schema, { ...valid, API_SECRET: '' })).toThrow('API_SECRET is required but not set');
  });

  it('rejects numbers out of range and empty secrets', () => {
    expect(() => parseConfig(schema, { ...valid, PORT: '70000', API_SECRET: '  ' })).toThrow(
      'PORT must be at most 65535; API_SECRET must not be empty',
    );
  });
});
