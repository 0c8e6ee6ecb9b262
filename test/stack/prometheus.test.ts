import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { compose, containerId, exec, waitHealthy, waitUntil } from './stack.js';
import { NODE_SERVICES } from './stack-env.js';

// The stack's Prometheus (on by default), asked from inside
// its own container: nothing publishes it. Every target up, one per replica, the rules of
// monitoring/rules loaded, and an alert that really fires when an exporter stops.

interface Target {
  labels: { job: string; instance: string; dns_name?: string };
  health: 'up' | 'down' | 'unknown';
  lastError: string;
}
interface Alert {
  labels: { alertname: string; job?: string; instance?: string };
  state: 'pending' | 'firing';
}

/** Prometheus's HTTP API, from inside its container (busybox wget, as its healthcheck). */
async function prometheus<T>(api: string): Promise<T> {
  const { code, output } = await exec('prometheus', ['wget', '-qO-', `http://127.0.0.1:9090/api/v1/${api}`]);
  if (code !== 0) throw new Error(`GET /api/v1/${api}: ${output}`);
  return (JSON.parse(output) as { data: T }).data;
}

const targets = async () => (await prometheus<{ activeTargets: Target[] }>('targets?state=active')).activeTargets;
const down = (list: Target[]) => list.filter((target) => target.health !== 'up').map((t) => `${t.labels.job} ${t.labels.instance}: ${t.health} ${t.lastError}`);
const ofJob = (list: Target[], job: string) => list.filter((target) => target.labels.job === job);
const alerts = async () => (await prometheus<{ alerts: Alert[] }>('alerts')).alerts;
/** TargetDown alerts of one job, pending or firing. */
const targetDown = async (job: string) => (await alerts()).filter((alert) => alert.labels.alertname === 'TargetDown' && alert.labels.job === job);

/** Until every target Prometheus knows is up (a scrape every 5 s; DNS looked up again every 5 s). */
const everyTargetUp = (timeoutMs = 60_000) => waitUntil('every Prometheus target to be up', async () => down(await targets()).length === 0, timeoutMs, 1000);

/** The jobs of prometheus.yml, and how many targets each has with one replica of everything. */
const JOBS = { prometheus: 1, 'api-gateway': 1, users: 1, products: 1, orders: 1, nginx: 1, postgres: 3, redis: 1 };

describe('Prometheus in the stack', () => {
  it('scrapes every job, one target per container, all up', async () => {
    await everyTargetUp();
    const list = await targets();
    const count = Object.fromEntries(Object.keys(JOBS).map((job) => [job, ofJob(list, job).length]));
    expect(count).toEqual(JOBS);
    expect(ofJob(list, 'postgres').map((t) => t.labels.dns_name).sort()).toEqual(['orders-db-exporter', 'products-db-exporter', 'users-db-exporter']);
    // Each Node service on its metrics port, never the API's 3000.
    for (const service of NODE_SERVICES) expect(ofJob(list, service)[0]!.labels.instance, service).toMatch(/:9464$/);
  });

  it('finds each replica of a service on its own: two gateways, two targets; one again once scaled back', async () => {
    const before = await containerId('api-gateway');
    await compose('up', '-d', '--no-deps', '--no-recreate', '--scale', 'api-gateway=2', 'api-gateway');
    try {
      await waitUntil('two api-gateway targets up', async () => ofJob(await targets(), 'api-gateway').filter((t) => t.health === 'up').length === 2, 90_000, 1000);
      const instances = ofJob(await targets(), 'api-gateway').map((t) => t.labels.instance);
      expect(new Set(instances).size).toBe(2);
    } finally {
      await compose('up', '-d', '--no-deps', '--no-recreate', '--scale', 'api-gateway=1', 'api-gateway');
    }
    expect(await containerId('api-gateway')).toBe(before);
    await waitHealthy('api-gateway');
    // The replica gone, its target goes at the next lookup (no alert for a replica scaled away).
    await waitUntil('one api-gateway target again', async () => ofJob(await targets(), 'api-gateway').length === 1, 60_000, 1000);
    await everyTargetUp();
    // The replica's last failed scrapes, before its target went, may have made TargetDown
    // pending: gone at the next evaluation without it (5 s), never fired (30 s).
    await waitUntil('no TargetDown for api-gateway', async () => (await targetDown('api-gateway')).length === 0, 30_000, 1000);
  }, 240_000);

  it('has loaded every alert group of monitoring/rules', async () => {
    const folder = path.join(inject('stack').root, 'monitoring', 'rules');
    const files = readdirSync(folder).filter((name) => name.endsWith('.yml'));
    const written = files.flatMap((name) => (parse(readFileSync(path.join(folder, name), 'utf8')) as { groups: Array<{ name: string; rules: unknown[] }> }).groups);
    const loaded = (await prometheus<{ groups: Array<{ name: string; rules: Array<{ name: string; health: string }> }> }>('rules')).groups;
    expect(loaded.map((group) => `${group.name} ${group.rules.length}`).sort()).toEqual(written.map((group) => `${group.name} ${group.rules.length}`).sort());
    expect(loaded.flatMap((group) => group.rules).filter((rule) => rule.health === 'err')).toEqual([]);
    expect(loaded.flatMap((group) => group.rules.map((rule) => rule.name))).toContain('TargetDown');
  });

  it('raises TargetDown for an exporter stopped, and nothing once it is back', async () => {
    await everyTargetUp();
    expect(await targetDown('redis')).toEqual([]);
    await compose('stop', 'redis-exporter');
    try {
      // Pending from the first failed scrape and evaluation (5 s each), firing 30 s later.
      await waitUntil('TargetDown for job redis', async () => (await targetDown('redis')).length > 0, 45_000, 1000);
      const [alert] = await targetDown('redis');
      expect(alert).toMatchObject({ labels: { job: 'redis', instance: expect.stringMatching(/:9121$/) }, state: expect.stringMatching(/^(pending|firing)$/) });
    } finally {
      await compose('start', 'redis-exporter');
    }
    await waitHealthy('redis-exporter');
    await everyTargetUp();
    await waitUntil('TargetDown for job redis to clear', async () => (await targetDown('redis')).length === 0, 30_000, 1000);
  }, 180_000);
});
