import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../../bench/compose-project.js';
import { capabilityList, mainProcess, tryWrite } from '../privileges.js';
import { asAdmin, containers, docker, swarm, waitUntil } from './swarm.js';
import { MONITORING_SERVICES, NODE_SERVICES } from './swarm-env.js';

// deploy.sh (the suite’s global setup; monitoring is on by default): Prometheus finds every task by its
// `tasks.<service>` name, one target per replica, all up; the exporters log in with their
// secrets; every container holds no capability and writes nowhere.

interface Target {
  labels: { job: string; instance: string; dns_name?: string };
  health: string;
  lastError: string;
}

const file = parse(readFileSync(path.join(repoRoot(), 'deploy/swarm/stack.monitoring.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { deploy: { resources: { limits: { cpus: string; pids: number } } } }>;
  networks: Record<string, unknown>;
};

async function targets(): Promise<Target[]> {
  const [id] = await containers('prometheus');
  const body = await docker('exec', id!, 'wget', '-qO-', 'http://127.0.0.1:9090/api/v1/targets?state=active');
  return (JSON.parse(body) as { data: { activeTargets: Target[] } }).data.activeTargets;
}
const down = (list: Target[]) => list.filter((t) => t.health !== 'up').map((t) => `${t.labels.job} ${t.labels.instance}: ${t.health} ${t.lastError}`);

describe('monitoring on the swarm', () => {
  it('scrapes every task of every service, each its own target, all up', async () => {
    // Two tasks of each Node service (stack.yml), one of everything else. A task appears in
    // `tasks.<service>` once it runs, and Prometheus looks again every 5 s: waited for.
    const wanted = { ...Object.fromEntries(NODE_SERVICES.map((service) => [service, 2])), nginx: 1, postgres: 3, redis: 1, prometheus: 1 };
    const count = (list: Target[]) => Object.fromEntries(Object.keys(wanted).map((job) => [job, list.filter((t) => t.labels.job === job).length]));
    let list: Target[] = [];
    await waitUntil('one target per task, every one up', async () => {
      list = await targets();
      return JSON.stringify(count(list)) === JSON.stringify(wanted) && down(list).length === 0;
    }, 120_000, 1000).catch((error: unknown) => {
      throw new Error(`${String(error)}: ${JSON.stringify(count(list))} ${down(list).join('; ')}`);
    });
    // `tasks.` dropped from dns_name, so that the rules read the same names as under Compose.
    expect(list.filter((t) => t.labels.job === 'postgres').map((t) => t.labels.dns_name).sort()).toEqual(['orders-db-exporter', 'products-db-exporter', 'users-db-exporter']);
    expect(new Set(list.filter((t) => t.labels.job === 'users').map((t) => t.labels.instance)).size).toBe(2);
  });

  it('lets the exporters log in: Redis as its `exporter` user, each database as `monitor`', async () => {
    const metric = async (service: 'redis-exporter' | 'users-db-exporter', port: number, name: string) => {
      const [id] = await containers(service);
      return (await docker('exec', id!, 'wget', '-qO-', `http://127.0.0.1:${port}/metrics`)).split('\n').find((line) => line.startsWith(`${name} `));
    };
    expect(await metric('redis-exporter', 9121, 'redis_up')).toBe('redis_up 1');
    expect(await metric('users-db-exporter', 9187, 'pg_up')).toBe('pg_up 1');
  });

  it('answers the console’s metrics panel through the gateway, which reaches Prometheus by name', async () => {
    const overview = await asAdmin('/api/monitoring/overview');
    expect(overview.status, JSON.stringify(overview.body)).toBe(200);
  });

  it('gives no capability, a read-only root and its limits to every monitoring task, on an encrypted network', async () => {
    for (const service of MONITORING_SERVICES) {
      const [id] = await containers(service);
      const host = JSON.parse(await docker('inspect', '--format', '{{json .HostConfig}}', id!)) as { CapDrop: string[] | null; ReadonlyRootfs: boolean; PidsLimit: number; NanoCpus: number };
      const limits = file.services[service]!.deploy.resources.limits;
      expect({ drop: host.CapDrop, readOnly: host.ReadonlyRootfs, pids: host.PidsLimit, cpus: host.NanoCpus / 1e9 }, service).toEqual({
        drop: ['ALL'],
        readOnly: true,
        pids: limits.pids,
        cpus: Number(limits.cpus),
      });
      // nginx-exporter's official image is FROM scratch: nothing inside to look with.
      if (service === 'nginx-exporter') continue;
      const main = await mainProcess(id!);
      expect([main.bounding, main.effective], service).toEqual([capabilityList([]), []]);
      expect(await tryWrite(id!, main.uid, '/taken-over'), service).toMatch(/Read-only file system/);
    }
    for (const name of Object.keys(file.networks)) {
      const options = JSON.parse(await docker('network', 'inspect', '--format', '{{json .Options}}', `${swarm().stack}_${name}`)) as Record<string, string>;
      expect(options, name).toHaveProperty('encrypted');
    }
  });
});
