import { z } from 'zod';

const breakerState = z.enum(['closed', 'open', 'half-open']);

const serviceStatus = z.object({
  ready: z.boolean(),
  checks: z.record(z.string(), z.enum(['up', 'down'])).optional().meta({ description: 'Absent when the service did not answer.' }),
  breakers: z.record(z.string(), breakerState).optional().meta({ description: "Orders' own breakers towards users and products." }),
  breaker: z.object({
    state: breakerState,
    counts: z.object({ fires: z.int(), successes: z.int(), failures: z.int(), rejects: z.int(), timeouts: z.int() }),
    fallbacks: z.int(),
  }),
});

/** GET /api/status: readiness of the gateway's dependencies and the state of its breakers. */
export const statusResponse = z.object({
  status: z.enum(['ok', 'degraded']),
  redis: z.enum(['up', 'down']),
  gateway: z.object({ instance: z.string() }),
  services: z.record(z.string(), serviceStatus),
});
