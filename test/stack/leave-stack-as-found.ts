import { afterAll } from 'vitest';
import { ALL_SERVICES, HEALTHY } from './stack-env.js';
import { forgetNginxPort, health, inspect, waitForClosedBreakers, waitUntil } from './stack.js';

/**
 * Run after every stack test file: the stack files share one stack, so each must leave it
 * as the next one expects it, whatever order they run in. Every container healthy (the one
 * without a healthcheck, nginx-exporter, running), then
 * every circuit breaker closed (the gateway's towards each service, and orders' own towards
 * users and products) and the gateway answering through nginx.
 */
afterAll(async () => {
  await waitUntil(
    'every container to be healthy',
    async () =>
      (await Promise.all(ALL_SERVICES.map(async (service) => (await health(service)) === HEALTHY(service) && (await inspect(service, '{{.State.Status}}')) === 'running'))).every(Boolean),
    180_000,
    500,
  );
  // A file may have recreated nginx, which then has another host port.
  forgetNginxPort();
  await waitForClosedBreakers();
}, 300_000);
