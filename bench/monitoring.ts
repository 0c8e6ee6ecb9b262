import type { ComposeProject } from './compose-project.js';
import { containerMemory } from './memory.js';

const round = (value: number) => Math.round(value * 10) / 10;

/** Prometheus and the exporters: the services on the `monitoring` network, read from the compose file. */
export async function monitoringServices(stack: ComposeProject): Promise<string[]> {
  const { services } = JSON.parse(await stack.compose('config', '--format', 'json')) as { services: Record<string, { networks?: Record<string, unknown> }> };
  return Object.entries(services)
    .filter(([, service]) => 'monitoring' in (service.networks ?? {}))
    .map(([name]) => name);
}

/**
 * Each container that is not up as it should be, with what it is instead: not running (a
 * one-shot job that exited 0 is done, not down), or running but not healthy.
 */
export async function notUp(stack: ComposeProject): Promise<Record<string, string>> {
  const rows = (await stack.compose('ps', '--all', '--format', '{{.Service}}\t{{.State}}\t{{.Health}}\t{{.ExitCode}}')).trim().split('\n');
  const down = rows
    .filter((row) => row !== '')
    .map((row) => row.split('\t'))
    .filter(([, state, health, exitCode]) => (state === 'exited' ? exitCode !== '0' : state !== 'running' || (health !== '' && health !== 'healthy')))
    .map(([service, state, health, exitCode]) => [service!, state === 'exited' ? `exited (${exitCode})` : `${state}${health ? `, ${health}` : ''}`]);
  return Object.fromEntries(down);
}

export interface TimedStart {
  seconds: number;
  /** What was not up when `up --wait` returned (it fails then): empty when everything was. */
  notUp: Record<string, string>;
}

/**
 * `up --wait` of the services named (all of them when none is), timed. A container that does
 * not come up ends the wait with an error: the time until then, and what was not up, are the figures.
 */
export async function timeUp(stack: ComposeProject, ...services: string[]): Promise<TimedStart> {
  const startedAt = Date.now();
  await stack.compose('up', '-d', '--wait', '--wait-timeout', '60', ...services).catch(() => undefined);
  const seconds = round((Date.now() - startedAt) / 1000);
  return { seconds, notUp: await notUp(stack) };
}

/** `docker stats` memory of each of the services that runs; the others are left out (notUp names them). */
export async function runningMemory(stack: ComposeProject, services: readonly string[]): Promise<Record<string, number>> {
  const down = await notUp(stack);
  const running = services.filter((service) => !(service in down) || down[service]!.startsWith('running'));
  return running.length ? containerMemory(stack, running) : {};
}
