// What each box of the architecture diagram shows, from one poll of GET /api/status.
//
// Rules, in this order:
//   network error (fetch failed, no HTTP answer at all)
//       nginx down; everything behind it unknown.
//   nginx answered 502, 503 or 504 (its JSON error: the gateway is not answering)
//       nginx up, api-gateway down; everything behind the gateway unknown.
//   any other answer that is not 200 (429, 500…): nginx up; the rest unknown (we learnt nothing).
//   200 with `{ status }` alone (what anyone but an admin gets: the details would tell an
//       attacker when a dependency is down): nginx up, api-gateway up, the rest unknown,
//       `scope` "summary".
//   200 with `services`: nginx up, api-gateway up, `scope` "full", and from the body:
//     redis            `redis` "up" | "down", else unknown.
//     service box      down      not ready and no `checks` (its readiness probe got no answer),
//                               or not ready with its breaker open;
//                      up        ready and breaker closed;
//                      degraded  anything else: breaker half-open, ready but breaker open,
//                               not ready but reachable (`checks` present, one failing);
//                      unknown   the service is missing from the body.
//     database box     its service's `checks.postgres` "up" | "down", else unknown.
//     a service's own breakers (`breakers`, orders' towards users and products) are shown
//     as text on its box; they do not change its state.
// A service that is not ready and unreachable is down even when its breaker is half-open:
// a half-open breaker only means the gateway is about to try again.

export type BoxState = 'up' | 'degraded' | 'down' | 'unknown';
type BreakerState = 'closed' | 'open' | 'half-open';
export const SERVICES = ['users', 'products', 'orders'] as const;
type ServiceName = (typeof SERVICES)[number];
const BOXES = ['nginx', 'api-gateway', 'users', 'products', 'orders', 'users-db', 'products-db', 'orders-db', 'redis'] as const;
export type BoxName = (typeof BOXES)[number];

interface BreakerCounts {
  fires: number;
  successes: number;
  failures: number;
  rejects: number;
  timeouts: number;
}

export interface ServiceView {
  state: BoxState;
  ready?: boolean;
  /** The gateway's breaker towards this service. */
  breaker?: BreakerState;
  /** This service's own breakers towards the services it calls (orders: users, products). */
  calls?: Record<string, BreakerState>;
  counts?: BreakerCounts;
  fallbacks?: number;
}

export interface StatusView {
  boxes: Record<BoxName, BoxState>;
  services: Record<ServiceName, ServiceView>;
  gatewayInstance?: string;
  /** The gateway's own summary: "ok" | "degraded". */
  overall?: string;
  /** What a 200 told: everything (an admin), or only the overall status. */
  scope?: 'full' | 'summary';
}

export type StatusObservation = { kind: 'answer'; status: number; body: unknown } | { kind: 'network-error' };

const BREAKER_STATES: readonly string[] = ['closed', 'open', 'half-open'];

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function upDown(value: unknown): BoxState {
  return value === 'up' || value === 'down' ? value : 'unknown';
}

export function serviceView(raw: unknown): ServiceView {
  const service = record(raw);
  if (!service) return { state: 'unknown' };
  const ready = service['ready'] === true;
  const reachable = record(service['checks']) !== undefined;
  const breakerRaw = record(service['breaker']);
  const stateRaw = breakerRaw?.['state'];
  const breaker = typeof stateRaw === 'string' && BREAKER_STATES.includes(stateRaw) ? (stateRaw as BreakerState) : undefined;
  const countsRaw = record(breakerRaw?.['counts']);
  const calls = Object.entries(record(service['breakers']) ?? {}).filter((entry): entry is [string, BreakerState] =>
    typeof entry[1] === 'string' && BREAKER_STATES.includes(entry[1]),
  );
  let state: BoxState;
  if (!ready && (!reachable || breaker === 'open')) state = 'down';
  else if (ready && breaker === 'closed') state = 'up';
  else state = 'degraded';
  return {
    state,
    ready,
    ...(breaker ? { breaker } : {}),
    ...(calls.length > 0 ? { calls: Object.fromEntries(calls) } : {}),
    ...(countsRaw
      ? {
          counts: {
            fires: count(countsRaw['fires']),
            successes: count(countsRaw['successes']),
            failures: count(countsRaw['failures']),
            rejects: count(countsRaw['rejects']),
            timeouts: count(countsRaw['timeouts']),
          },
        }
      : {}),
    ...(breakerRaw && 'fallbacks' in breakerRaw ? { fallbacks: count(breakerRaw['fallbacks']) } : {}),
  };
}

function allUnknown(nginx: BoxState, gateway: BoxState): StatusView {
  const boxes = Object.fromEntries(BOXES.map((box) => [box, 'unknown'])) as Record<BoxName, BoxState>;
  boxes.nginx = nginx;
  boxes['api-gateway'] = gateway;
  return {
    boxes,
    services: { users: { state: 'unknown' }, products: { state: 'unknown' }, orders: { state: 'unknown' } },
  };
}

export function statusView(observation: StatusObservation): StatusView {
  if (observation.kind === 'network-error') return allUnknown('down', 'unknown');
  const { status } = observation;
  if (status === 502 || status === 503 || status === 504) return allUnknown('up', 'down');
  if (status !== 200) return allUnknown('up', 'unknown');

  const view = allUnknown('up', 'up');
  const body = record(observation.body);
  const services = record(body?.['services']);
  if (typeof body?.['status'] === 'string') view.overall = body['status'];
  if (!services) return { ...view, scope: 'summary' };
  view.scope = 'full';
  view.boxes.redis = upDown(body?.['redis']);
  for (const name of SERVICES) {
    const service = serviceView(services?.[name]);
    view.services[name] = service;
    view.boxes[name] = service.state;
    view.boxes[`${name}-db`] = upDown(record(record(services?.[name])?.['checks'])?.['postgres']);
  }
  const instance = record(body?.['gateway'])?.['instance'];
  if (typeof instance === 'string' && instance !== '') view.gatewayInstance = instance;
  return view;
}
