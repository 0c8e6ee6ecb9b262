import { describe, expect, it } from 'vitest';
import { serviceView, statusView } from './status-view';

const service = (ready: boolean, state: string, checks?: Record<string, string>) => ({
  ready,
  ...(checks ? { checks } : {}),
  breaker: { state, counts: { fires: 12, successes: 11, failures: 1, rejects: 0, timeouts: 0 }, fallbacks: 2 },
});
const UP = { postgres: 'up', redis: 'up' };

describe('serviceView', () => {
  it('is up when ready with its breaker closed, and keeps counts and fallbacks', () => {
    expect(serviceView(service(true, 'closed', UP))).toEqual({
      state: 'up',
      ready: true,
      breaker: 'closed',
      counts: { fires: 12, successes: 11, failures: 1, rejects: 0, timeouts: 0 },
      fallbacks: 2,
    });
  });

  it.each([
    ['ready, breaker half-open', service(true, 'half-open', UP)],
    ['ready, breaker open', service(true, 'open', UP)],
    ['not ready but reachable (a check failing)', service(false, 'closed', { postgres: 'down', redis: 'up' })],
    ['not ready but reachable, half-open', service(false, 'half-open', { postgres: 'down', redis: 'up' })],
    ['ready without checks (an older gateway), breaker half-open', service(true, 'half-open')],
  ])('is degraded when %s', (_, raw) => {
    expect(serviceView(raw).state).toBe('degraded');
  });

  it.each([
    ['not ready and unreachable (no checks)', service(false, 'closed')],
    ['not ready, breaker open', service(false, 'open', { postgres: 'down', redis: 'up' })],
    ['not ready and unreachable, even half-open', service(false, 'half-open')],
  ])('is down when %s', (_, raw) => {
    expect(serviceView(raw).state).toBe('down');
  });

  it("keeps a service's own breakers towards the services it calls, without changing its state", () => {
    const orders = { ...service(true, 'closed', UP), breakers: { users: 'closed', products: 'open', junk: 7 } };
    expect(serviceView(orders)).toMatchObject({ state: 'up', calls: { users: 'closed', products: 'open' } });
    expect(serviceView(service(true, 'closed', UP))).not.toHaveProperty('calls');
  });

  it('is up without checks when ready and closed (an older gateway)', () => {
    expect(serviceView(service(true, 'closed')).state).toBe('up');
  });

  it('is unknown when missing, and tolerates a breaker it cannot read', () => {
    expect(serviceView(undefined)).toEqual({ state: 'unknown' });
    expect(serviceView('nope')).toEqual({ state: 'unknown' });
    expect(serviceView({ ready: true, breaker: { state: 'weird' } })).toEqual({ state: 'degraded', ready: true });
  });
});

describe('statusView', () => {
  const body = {
    status: 'degraded',
    redis: 'up',
    gateway: { instance: '3f2a9c1d0b7e' },
    services: {
      users: service(true, 'closed', UP),
      products: service(false, 'open'),
      orders: service(false, 'closed', { postgres: 'down', redis: 'up' }),
    },
  };

  it('maps a 200 answer box by box', () => {
    const view = statusView({ kind: 'answer', status: 200, body });
    expect(view.boxes).toEqual({
      nginx: 'up',
      'api-gateway': 'up',
      users: 'up',
      products: 'down',
      orders: 'degraded',
      'users-db': 'up',
      'products-db': 'unknown',
      'orders-db': 'down',
      redis: 'up',
    });
    expect(view.services.products.breaker).toBe('open');
    expect(view.gatewayInstance).toBe('3f2a9c1d0b7e');
    expect(view.overall).toBe('degraded');
    expect(view.scope).toBe('full');
  });

  it('shows only nginx and the gateway, and the overall status, to anyone but an admin', () => {
    const view = statusView({ kind: 'answer', status: 200, body: { status: 'ok' } });
    expect(view.scope).toBe('summary');
    expect(view.overall).toBe('ok');
    expect(view.boxes.nginx).toBe('up');
    expect(view.boxes['api-gateway']).toBe('up');
    expect(Object.values(view.boxes).filter((s) => s === 'unknown')).toHaveLength(7);
    expect(view.services.orders).toEqual({ state: 'unknown' });
  });

  it('reads redis down, and copes with an older gateway (no instance, no checks)', () => {
    const view = statusView({ kind: 'answer', status: 200, body: { status: 'degraded', redis: 'down', services: { users: service(true, 'closed') } } });
    expect(view.boxes.redis).toBe('down');
    expect(view.boxes.users).toBe('up');
    expect(view.boxes['users-db']).toBe('unknown');
    expect(view.boxes.products).toBe('unknown');
    expect(view.gatewayInstance).toBeUndefined();
  });

  it.each([502, 503, 504])('shows nginx up and the gateway down on a %i from nginx, the rest unknown', (status) => {
    const view = statusView({ kind: 'answer', status, body: { error: { code: 'bad_gateway', message: 'x' } } });
    expect(view.boxes.nginx).toBe('up');
    expect(view.boxes['api-gateway']).toBe('down');
    for (const box of ['users', 'products', 'orders', 'users-db', 'products-db', 'orders-db', 'redis'] as const) {
      expect(view.boxes[box]).toBe('unknown');
    }
    expect(view.services.users).toEqual({ state: 'unknown' });
  });

  it('shows nginx down, and nothing known behind it, when the fetch itself fails', () => {
    const view = statusView({ kind: 'network-error' });
    expect(view.boxes.nginx).toBe('down');
    expect(Object.values(view.boxes).filter((s) => s !== 'unknown')).toEqual(['down']);
  });

  it('learns nothing behind nginx from another answer (429, 500), nor from a body it cannot read', () => {
    expect(statusView({ kind: 'answer', status: 429, body: {} }).boxes['api-gateway']).toBe('unknown');
    expect(statusView({ kind: 'answer', status: 401, body: {} }).scope).toBeUndefined();
    const garbled = statusView({ kind: 'answer', status: 200, body: 'not json' });
    expect(garbled.boxes['api-gateway']).toBe('up');
    expect(garbled.boxes.redis).toBe('unknown');
    expect(garbled.boxes.users).toBe('unknown');
  });
});
