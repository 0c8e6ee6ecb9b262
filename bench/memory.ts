import { docker, type ComposeProject } from './compose-project.js';

export interface MemoryFigures {
  /** What `docker stats` shows: the container's own memory (cgroup usage less page cache). */
  containerMb: number;
  /** VmRSS of the node process: includes ~50 MB of the node binary's pages, shared with every other container of the image. */
  rssMb: number;
  /** RssAnon: the part of VmRSS that is this process's alone. */
  privateMb: number;
}

// Node names its main thread "MainThread", so the process is found by its command line.
const NODE_STATUS = `for p in /proc/[0-9]*; do case "$(tr '\\0' ' ' < $p/cmdline 2>/dev/null)" in "node "*) cat $p/status;; esac; done`;

const UNITS: Record<string, number> = { B: 1e-6, KiB: 1024 / 1e6, MiB: 1.048576, GiB: 1073.741824, kB: 1e-3, MB: 1, GB: 1000 };
const round = (value: number) => Math.round(value * 10) / 10;

function parseSize(text: string): number {
  const match = /([\d.]+)\s*([A-Za-z]+)/.exec(text);
  return match ? round(Number(match[1]) * (UNITS[match[2]!] ?? NaN)) : NaN;
}

/**
 * What `docker stats` shows of each service's container, in MB: any image, even one with no
 * shell (the exporters' images hold their program alone).
 */
export async function containerMemory(stack: ComposeProject, services: readonly string[]): Promise<Record<string, number>> {
  const ids = await Promise.all(services.map((service) => stack.containerId(service)));
  const stats = (await docker('stats', '--no-stream', '--format', '{{.ID}} {{.MemUsage}}', ...ids)).trim().split('\n');
  return Object.fromEntries(
    services.map((service, i) => {
      const line = stats.find((row) => ids[i]!.startsWith(row.split(' ')[0]!)) ?? '';
      return [service, parseSize(line.split(' ').slice(1).join(' '))];
    }),
  );
}

/** Memory of the node process in each of the given services, three ways. */
export async function memory(stack: ComposeProject, services: readonly string[]): Promise<Record<string, MemoryFigures>> {
  const container = await containerMemory(stack, services);
  const entries = await Promise.all(
    services.map(async (service) => {
      const status = (await stack.exec(service, ['sh', '-c', NODE_STATUS])).output;
      const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
      return [service, { containerMb: container[service]!, rssMb: round(kb('VmRSS') / 1000), privateMb: round(kb('RssAnon') / 1000) }] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** The highest figures seen per service while `during` runs, sampled every second or so. */
export async function peakMemoryDuring<T>(stack: ComposeProject, services: readonly string[], during: Promise<T>): Promise<{ result: T; peak: Record<string, MemoryFigures> }> {
  const peak: Record<string, MemoryFigures> = Object.fromEntries(services.map((s) => [s, { containerMb: 0, rssMb: 0, privateMb: 0 }]));
  let done = false;
  during.then(
    () => (done = true),
    () => (done = true),
  );
  while (!done) {
    const sample = await memory(stack, services);
    for (const service of services) {
      const [now, max] = [sample[service]!, peak[service]!];
      peak[service] = { containerMb: Math.max(now.containerMb, max.containerMb), rssMb: Math.max(now.rssMb, max.rssMb), privateMb: Math.max(now.privateMb, max.privateMb) };
    }
  }
  return { result: await during, peak };
}
