import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, env, parseConfig } from './index.js';

const schema = z.object({
  DATABASE_URL: env.url(['postgres']),
  DATABASE_PASSWORD: env.string(),
  PORT: env.port().default(3000),
});

const dir = mkdtempSync(path.join(tmpdir(), 'secret-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function secretFile(name: string, content: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

function problemsOf(environment: Record<string, string>): readonly string[] {
  try {
    parseConfig(schema, environment);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const url = 'postgres://users@db:5432/users';

describe('<NAME>_FILE', () => {
  it('reads a key from the file it names, without the final line break', () => {
    const file = secretFile('password', 'p@ss word%\n');
    expect(parseConfig(schema, { DATABASE_URL: url, DATABASE_PASSWORD_FILE: file })).toEqual({
      DATABASE_URL: url,
      DATABASE_PASSWORD: 'p@ss word%',
      PORT: 3000,
    });
  });

  it('works for any key of the schema, not secrets only', () => {
    const file = secretFile('port', '8080');
    expect(parseConfig(schema, { DATABASE_URL: url, DATABASE_PASSWORD: 'x', PORT_FILE: file }).PORT).toBe(8080);
  });

  it('leaves alone a *_FILE variable the schema has no key for', () => {
    expect(parseConfig(schema, { DATABASE_URL: url, DATABASE_PASSWORD: 'x', OTHER_FILE: '/nowhere' })).not.toHaveProperty('OTHER');
  });

  it('fails, naming the variable and the path, when the file cannot be read, along with every other problem', () => {
    expect(problemsOf({ DATABASE_URL: 'mysql://db', DATABASE_PASSWORD_FILE: path.join(dir, 'missing') })).toEqual([
      `DATABASE_PASSWORD_FILE names a file that cannot be read (ENOENT: ${path.join(dir, 'missing')})`,
      'DATABASE_URL must be a URL starting with postgres://',
    ]);
  });

  it('refuses an empty file, and a key set both ways', () => {
    const empty = secretFile('empty', '\n');
    expect(problemsOf({ DATABASE_URL: url, DATABASE_PASSWORD_FILE: empty })).toEqual([`DATABASE_PASSWORD_FILE names an empty file (${empty})`]);
    const file = secretFile('both', 'from-file');
    expect(problemsOf({ DATABASE_URL: url, DATABASE_PASSWORD: 'from-env', DATABASE_PASSWORD_FILE: file })).toEqual([
      'DATABASE_PASSWORD and DATABASE_PASSWORD_FILE are both set: set one',
    ]);
  });

  it('never puts the secret in a message', () => {
    const file = secretFile('short', 'tiny-secret-value');
    const schemaWithLimit = z.object({ DATABASE_PASSWORD: env.string().min(40, 'must be at least 40 characters') });
    let message = '';
    try {
      parseConfig(schemaWithLimit, { DATABASE_PASSWORD_FILE: file });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('Invalid configuration (1 problem): DATABASE_PASSWORD must be at least 40 characters');
    expect(message).not.toContain('tiny-secret-value');
  });
});
