import { readFile } from 'node:fs/promises';
import { docker, type ComposeProject } from './compose-project.js';

// Where a container's CPU counter lives on the Docker host, cgroup v2 then v1, for the
// systemd and cgroupfs drivers. Each gives microseconds (v2, cpu.stat) or nanoseconds (v1).
const HOST_COUNTERS = (id: string) => [
  { path: `/sys/fs/cgroup/system.slice/docker-${id}.scope/cpu.stat`, kind: 'v2' },
  { path: `/sys/fs/cgroup/docker/${id}/cpu.stat`, kind: 'v2' },
  { path: `/sys/fs/cgroup/cpuacct/docker/${id}/cpuacct.usage`, kind: 'v1' },
  { path: `/sys/fs/cgroup/cpu,cpuacct/docker/${id}/cpuacct.usage`, kind: 'v1' },
  { path: `/sys/fs/cgroup/cpuacct/system.slice/docker-${id}.scope/cpuacct.usage`, kind: 'v1' },
] as const;

function parse(kind: 'v1' | 'v2', text: string): number {
  if (kind === 'v1') return Number(text.trim()) / 1000;
  return Number(/usage_usec (\d+)/.exec(text)?.[1] ?? NaN);
}

/**
 * CPU time a container has used since it started, in microseconds: every process in it,
 * kernel time included. Read on the host when this runs on the Docker host, else from
 * inside the container (Docker Desktop), which costs one short process there.
 */
async function cpuMicros(containerId: string): Promise<number> {
  for (const { path, kind } of HOST_COUNTERS(containerId)) {
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text !== undefined) return parse(kind, text);
  }
  const inside = await docker('exec', containerId, 'sh', '-c', 'cat /sys/fs/cgroup/cpu.stat 2>/dev/null || cat /sys/fs/cgroup/cpuacct/cpuacct.usage');
  return parse(inside.includes('usage_usec') ? 'v2' : 'v1', inside);
}

export type CpuSnapshot = { at: number; micros: Record<string, number> };

export async function snapshot(stack: ComposeProject, services: readonly string[]): Promise<CpuSnapshot> {
  const ids = await Promise.all(services.map((service) => stack.containerId(service)));
  const micros = await Promise.all(ids.map((id) => cpuMicros(id)));
  return { at: Date.now(), micros: Object.fromEntries(services.map((service, i) => [service, micros[i]!])) };
}

/** Each container's CPU rate while nothing is asked of it (healthchecks, timers), in µs per second. */
export async function idleRates(stack: ComposeProject, services: readonly string[], seconds: number): Promise<Record<string, number>> {
  const before = await snapshot(stack, services);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const after = await snapshot(stack, services);
  const elapsed = (after.at - before.at) / 1000;
  return Object.fromEntries(services.map((s) => [s, (after.micros[s]! - before.micros[s]!) / elapsed]));
}

/**
 * CPU microseconds per request of each container between two snapshots: what it used, less
 * what it would have used idle in that time, over the requests served. Unlike req/s, this
 * barely moves when something else shares the machine.
 */
export function perRequest(
  before: CpuSnapshot,
  after: CpuSnapshot,
  requests: number,
  idle: Record<string, number>,
): Record<string, number> {
  const elapsed = (after.at - before.at) / 1000;
  return Object.fromEntries(
    Object.keys(before.micros).map((service) => {
      const used = after.micros[service]! - before.micros[service]! - (idle[service] ?? 0) * elapsed;
      return [service, Math.max(0, Math.round(used / requests))];
    }),
  );
}
