import { afterAll } from 'vitest';
import { ALL_SERVICES, HEALTHY } from './stack-env.js';
import { asAdmin, createProduct, customer, forgetNginxPort, health, inspect, placeOrder, waitUntil } from './stack.js';

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
  let buyer: Awaited<ReturnType<typeof customer>> | undefined;
  await waitUntil(
    'every circuit breaker to be closed',
    async () => {
      const { status, body } = await asAdmin('/api/status');
      if (status !== 200) return false;
      const breakers: string[] = [
        ...Object.values(body.services as Record<string, { breaker: { state: string } }>).map((service) => service.breaker.state),
        ...Object.values((body.services.orders.breakers ?? {}) as Record<string, string>),
      ];
      if (body.status === 'ok' && breakers.every((state) => state === 'closed')) return true;
      // A half-open breaker closes on its next good call, and nothing else may be calling:
      // an order goes through every one of them.
      try {
        buyer ??= await customer();
        await placeOrder(buyer, (await createProduct(1, 100)).id, 1);
      } catch {
        // A service still away: the next round tries again.
      }
      return false;
    },
    60_000,
    1000,
  );
}, 300_000);
