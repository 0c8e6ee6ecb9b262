import { inject } from 'vitest';
import { waitUntil } from '@shopstack/testing';
import { docker } from '../../bench/compose-project.js';
import { jsonRequest, type ApiResponse, type JsonRequestInit } from '../json-request.js';
import { rawHttpRequest } from '../raw-request.js';
import { shop } from '../shop.js';
import { script } from './scripts.js';
import { ADMIN, type Service } from './swarm-env.js';

export { waitUntil } from '@shopstack/testing';
export { docker } from '../../bench/compose-project.js';

export const swarm = () => inject('swarm');

/** The Swarm service's full name: the stack's name, then the compose file's. */
export const serviceName = (service: Service) => `${swarm().stack}_${service}`;

/** Runs deploy/swarm/<name> against this run's stack. */
export const swarmScript = (name: string, ...args: string[]) => script(name, swarm().env, ...args);

/** The ids of the service's containers that are running now. */
export async function containers(service: Service): Promise<string[]> {
  const ids = await docker('ps', '-q', '--filter', `label=com.docker.swarm.service.name=${serviceName(service)}`);
  return ids.split('\n').filter(Boolean);
}

export async function serviceInspect(service: Service, format: string): Promise<string> {
  return (await docker('service', 'inspect', '--format', format, serviceName(service))).trim();
}

/** Running tasks against the wanted count, for every service of the stack. */
export async function replicas(): Promise<Record<string, string>> {
  const lines = (await docker('stack', 'services', swarm().stack, '--format', '{{.Name}} {{.Replicas}}')).trim().split('\n');
  return Object.fromEntries(lines.map((line) => {
    const [name, count] = line.split(' ');
    return [name!.slice(swarm().stack.length + 1), count!];
  }));
}

// Generous: on a busy machine a replacement task takes minutes to start and pass its check.
export const waitForReplicas = (service: Service, wanted: number, timeoutMs = 300_000) =>
  waitUntil(`${service} to run ${wanted} tasks`, async () => (await replicas())[service] === `${wanted}/${wanted}`, timeoutMs, 500);

/** A request to the stack through nginx, the only way in. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON off the wire; the tests assert its shape
export const api = async <T = any>(path: string, init?: JsonRequestInit): Promise<ApiResponse<T>> => jsonRequest<T>(`http://127.0.0.1:${swarm().port}${path}`, init);

/** A request written as-is with node:http to nginx (see rawHttpRequest): a Host of one's choosing. */
export const rawRequest = (method: string, path: string, headers: Record<string, string> = {}) => rawHttpRequest(swarm().port, method, path, headers);

export const { asAdmin, createProduct, customer, login, placeOrder } = shop(api, 'Swarm', ADMIN);
