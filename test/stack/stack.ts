import { inject } from 'vitest';
import { waitUntil } from '@shopstack/testing';
import { composeProject, type ComposeProject } from '../../bench/compose-project.js';
import { jsonRequest, type ApiResponse, type JsonRequestInit } from '../json-request.js';
import { rawHttpRequest } from '../raw-request.js';
import { shop } from '../shop.js';
import { ADMIN, STACK_ENV, type Job, type Service } from './stack-env.js';

export { waitUntil } from '@shopstack/testing';
export { docker } from '../../bench/compose-project.js';

let project: ComposeProject | undefined;

/** The stack that global-setup started, by the project name it provided. */
function stack(): ComposeProject {
  project ??= composeProject({ ...inject('stack'), env: STACK_ENV });
  return project;
}

export const compose = (...args: string[]) => stack().compose(...args);
/** compose, with some of the variables a `.env` would set changed. */
export const composeWith = (env: Record<string, string>, ...args: string[]) =>
  composeProject({ ...inject('stack'), env: { ...STACK_ENV, ...env } }).compose(...args);
export const containerId = (service: Service | Job) => stack().containerId(service);
export const exec = (service: Service, command: string[]) => stack().exec(service, command);
export const inspect = (service: Service | Job, format: string) => stack().inspect(service, format);
export const health = (service: Service) => stack().health(service);
export const logs = (service: Service) => stack().logs(service);

/** The secrets job: `set <name>` with the new value as input, `show <name>`. */
export const secretsJob = (args: string[], input?: string) => stack().secretsJob(args, input);

/**
 * Every secret the secrets job made, by folder (= container) and file name, read from the
 * volume by the job's own image; certificates and the ACL file included.
 */
export async function secretsByFolder(): Promise<Record<string, Record<string, string>>> {
  const script = `const fs = require('node:fs'); const out = {};
    for (const folder of fs.readdirSync('/secrets')) { out[folder] = {};
      for (const name of fs.readdirSync('/secrets/' + folder)) out[folder][name] = fs.readFileSync('/secrets/' + folder + '/' + name, 'utf8'); }
    process.stdout.write(JSON.stringify(out));`;
  return JSON.parse(await compose('run', '--rm', '-T', '--no-deps', '--entrypoint', 'node', 'secrets', '-e', script)) as Record<string, Record<string, string>>;
}

/** The passwords among them (one line each): what must appear nowhere but in their own folders. */
export const passwordsOf = (folder: Record<string, string>) =>
  Object.entries(folder).filter(([name]) => name.endsWith('_password')).map(([, value]) => value);

/** redis-cli in the Redis container, as Redis's `admin` user (the default user is off). */
export const redisCli = (...args: string[]) =>
  exec('redis', ['sh', '-c', 'REDISCLI_AUTH="$(cat /run/secrets/redis_admin_password)" exec redis-cli --user admin "$@"', 'redis-cli', ...args]);

export const waitHealthy = (service: Service, timeoutMs = 90_000) =>
  waitUntil(`${service} to be healthy`, async () => (await health(service)) === 'healthy', timeoutMs);

let port: number | undefined;

/** The host port Docker gave nginx (it changes when the container is recreated or restarted). */
export async function nginxPort(): Promise<number> {
  port ??= await stack().hostPort('nginx', 80);
  return port;
}

export function forgetNginxPort(): void {
  port = undefined;
}

/** A request to the stack through nginx, the only way in. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON off the wire; the tests assert its shape
export const api = async <T = any>(path: string, init?: JsonRequestInit): Promise<ApiResponse<T>> => jsonRequest<T>(`http://127.0.0.1:${await nginxPort()}${path}`, init);

/** A request written as-is with node:http to nginx (see rawHttpRequest). */
export const rawRequest = async (method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer) =>
  rawHttpRequest(await nginxPort(), method, path, headers, body);

/**
 * Kills a Node service's process with SIGKILL from inside, as an OOM kill or a crash would:
 * unlike `docker kill`, which Docker counts as a deliberate stop, this lets the restart
 * policy bring the container back. (PID 1 is the init that `init: true` adds; node names
 * its main thread "MainThread", so the command line is matched.)
 */
export async function crash(service: Service): Promise<void> {
  const kill = 'for p in /proc/[0-9]*; do case "$(tr "\\0" " " < $p/cmdline 2>/dev/null)" in "node "*) kill -9 "${p#/proc/}";; esac; done';
  await exec(service, ['sh', '-c', kill]);
}

export const { admin, asAdmin, createProduct, customer, login, placeOrder, signUp } = shop(api, 'Stack', ADMIN);

/**
 * Every circuit breaker closed (the gateway's towards each service, and orders' own towards
 * users and products) and the gateway answering through nginx: what a file leaves behind,
 * and what a test that stopped a service waits for before the next one.
 */
export async function waitForClosedBreakers(): Promise<void> {
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
}
