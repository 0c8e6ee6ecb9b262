import type { z } from 'zod';

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
 * instead of restarting once per typo.
 */
export function parseConfig<S extends z.ZodType>(schema: S, environment: Environment): z.output<S> {
  // An empty variable counts as unset, so it takes its default: compose passes an optional
  // setting as `${NAME:-}`, which arrives empty when .env does not set it.
  const set = Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== ''));
  const result = schema.safeParse(set);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const key = issue.path.map(String).join('.') || '(environment)';
    return `${key} ${issue.message}`;
  });
  throw new ConfigError(problems);
}
