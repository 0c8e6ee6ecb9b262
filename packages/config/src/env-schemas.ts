import { z } from 'zod';

// Environment variables are strings or absent. These builders turn them into typed values
// and word their messages to follow the variable name: "PORT must be a whole number".
const text = () =>
  z.string({ error: (issue) => (issue.input === undefined ? 'is required but not set' : 'must be a string') });

function integer({ min, max }: { min: number; max: number }) {
  return text()
    .trim()
    .regex(/^-?\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, `must be at least ${min}`)
        .max(max, `must be at most ${max}`),
    );
}

function url(protocols: readonly string[]) {
  return text()
    .trim()
    .refine((value) => {
      try {
        return protocols.includes(new URL(value).protocol.replace(/:$/, ''));
      } catch {
        return false;
      }
    }, `must be a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`);
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return text()
    .trim()
    .refine((value): value is T[number] => (values as readonly string[]).includes(value), `must be one of ${values.join(', ')}`)
    .transform((value) => value as T[number]);
}

export const env = {
  /** Any non-empty string; use for secrets too (never give a secret a default). */
  string: () => text().trim().min(1, 'must not be empty'),
  integer,
  port: () => integer({ min: 1, max: 65535 }),
  url,
  oneOf,
  logLevel: () => oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const),
};
