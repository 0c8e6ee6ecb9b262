import type { z } from 'zod';
import { readSecretFiles } from './secret-files.js';

/** Raised once, at start, with every problem found in the environment. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}): ${problems.join('; ')}`);
  }
}

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Parses the environment against a schema of environment variable names. Every bad or
 * missing key is collected into one ConfigError, so an operator fixes them all in one go
 * instead of restarting once per typo. Any key of an object schema may instead be given as
 * a file, `<NAME>_FILE` (see secret-files.ts).
 */
export function parseConfig<S extends z.ZodType>(schema: S, environment: Environment): z.output<S> {
  const keys = new Set('shape' in schema ? Object.keys(schema.shape as object) : []);
  const fromFiles = readSecretFiles(environment, keys);
  // An empty variable counts as unset, so it takes its default: compose passes an optional
  // setting as `${NAME:-}`, which arrives empty when .env does not set it.
  const set = Object.fromEntries(Object.entries(fromFiles.environment).filter(([, value]) => value !== ''));
  const result = schema.safeParse(set);
  const problems = [
    ...fromFiles.problems.values(),
    ...(result.success ? [] : result.error.issues)
      // A key whose file failed would also be reported missing: once is enough.
      .filter((issue) => !fromFiles.problems.has(String(issue.path[0])))
      .map((issue) => `${issue.path.map(String).join('.') || '(environment)'} ${issue.message}`),
  ];
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return result.data;
}
