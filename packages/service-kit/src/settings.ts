import type { z } from 'zod';
import { ConfigError, env, parseConfig } from '@shopstack/config';
import { createLogger } from '@shopstack/logger';

// Building blocks a service spreads into its own z.object({ ... }) in its config.ts.

/** What every service process reads. */
export const serverSettings = {
  PORT: env.port().default(3000),
  /** Where Prometheus reads /metrics: a port of its own, never the app's, so never reachable through the gateway. */
  METRICS_PORT: env.port().default(9464),
  /** off: nothing counted, no metrics port. What the bench compares with to say what metrics cost. */
  METRICS: env.oneOf(['on', 'off'] as const).default('on'),
  LOG_LEVEL: env.logLevel().default('info'),
  // Under Docker's 10 s stop grace period, so we exit before we are killed. See README, "Time budgets".
  SHUTDOWN_TIMEOUT_MS: env.integer({ min: 0, max: 60_000 }).default(8000),
};

/** A service's own Postgres. */
export const databaseSettings = {
  DATABASE_URL: env.url(['postgres', 'postgresql']),
  /**
   * Replaces the password in DATABASE_URL, so that the URL can be plain configuration and
   * the password a secret: DATABASE_PASSWORD_FILE=/run/secrets/… under Swarm.
   */
  DATABASE_PASSWORD: env.string().optional(),
};

/**
 * The Redis every service shares, each as a Redis user of its own (an ACL user limited to
 * its keys): REDIS_USERNAME, and REDIS_PASSWORD from a file (REDIS_PASSWORD_FILE). Both
 * unset: the default user, for a Redis without ACL (the API tests').
 */
export const redisSettings = {
  REDIS_URL: env.url(['redis']),
  REDIS_USERNAME: env.string().optional(),
  REDIS_PASSWORD: env.string().optional(),
};

/** The URL with the password in it, encoded: a secret may hold any character. */
export function databaseUrl({ DATABASE_URL, DATABASE_PASSWORD }: { DATABASE_URL: string; DATABASE_PASSWORD?: string | undefined }): string {
  if (DATABASE_PASSWORD === undefined) return DATABASE_URL;
  const url = new URL(DATABASE_URL);
  url.password = encodeURIComponent(DATABASE_PASSWORD);
  return url.toString();
}

/** The Redis URL with the user and password in it, encoded, as databaseUrl does. */
export function redisUrl({ REDIS_URL, REDIS_USERNAME, REDIS_PASSWORD }: { REDIS_URL: string; REDIS_USERNAME?: string | undefined; REDIS_PASSWORD?: string | undefined }): string {
  const url = new URL(REDIS_URL);
  if (REDIS_USERNAME !== undefined) url.username = encodeURIComponent(REDIS_USERNAME);
  if (REDIS_PASSWORD !== undefined) url.password = encodeURIComponent(REDIS_PASSWORD);
  return url.toString();
}

/**
 * The service's settings, read from its environment. On any bad or missing key, one fatal
 * log line names them all and the process exits 1: nothing starts on a wrong configuration.
 */
export function readConfig<S extends z.ZodType>(service: string, schema: S, environment: Readonly<Record<string, string | undefined>>): z.output<S> {
  try {
    return parseConfig(schema, environment);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    createLogger({ service, level: 'info' }).fatal({ problems: error.problems }, error.message);
    process.exit(1);
  }
}
