import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import { describe, expect, it } from 'vitest';
import { compose, waitHealthy } from './stack.js';

const run = promisify(execFile);

/** `npm run doctor` / `npm run check` against the test stack: its exit code and report. */
async function tool(name: 'doctor' | 'check'): Promise<{ code: number; output: string }> {
  const { projectName, root } = inject('stack');
  try {
    const { stdout } = await run('node', [`tools/dist/${name}.js`], {
      cwd: root,
      env: { ...process.env, COMPOSE_PROJECT_NAME: projectName },
      timeout: 90_000,
    });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

describe('doctor and check', () => {
  it('find nothing wrong with a healthy stack', async () => {
    const doctor = await tool('doctor');
    expect(doctor.output).toContain('No problem found.');
    expect(doctor.code, doctor.output).toBe(0);
    expect(doctor.output).toMatch(/users-1 +healthy +networks backend,users-data/);
    // Monitoring, on by default: Prometheus on backend and monitoring,
    // each database's exporter beside it, nginx-exporter running with no healthcheck.
    expect(doctor.output).toMatch(/prometheus-1 +healthy +networks backend,monitoring/);
    expect(doctor.output).toMatch(/users-db-exporter-1 +healthy +networks monitoring,users-data/);
    expect(doctor.output).toMatch(/✓ \S*nginx-exporter-1 +none +networks monitoring,public/);
    expect(doctor.output).toContain('/ready: 200 {"status":"ready"');
    expect(doctor.output).toContain('Redis append-only file: yes');

    const check = await tool('check');
    expect(check.output).toContain('All good: the stack is back to correct.');
    expect(check.output).not.toContain('✗');
    expect(check.code, check.output).toBe(0);
  });

  it('name a stopped database and the service it leaves not ready', async () => {
    await compose('stop', 'users-db');
    try {
      const doctor = await tool('doctor');
      expect(doctor.code, doctor.output).toBe(1);
      expect(doctor.output).toMatch(/- users-db: exited/);
      expect(doctor.output).toMatch(/- users: (unhealthy, )?not ready: 503 .*"postgres":"down"/);
      expect(doctor.output).toContain('fix: its database is unreachable: look at users-db');
    } finally {
      await compose('start', 'users-db');
    }
    await waitHealthy('users-db');
    await waitHealthy('users');
  });

  it('names a killed service', async () => {
    await compose('kill', 'products');
    try {
      const doctor = await tool('doctor');
      expect(doctor.code, doctor.output).toBe(1);
      expect(doctor.output).toMatch(/- products: exited \(exit code 137\)/);
      expect(doctor.output).toContain('fix: docker compose logs --tail 50 products, then docker compose up -d --wait products');
    } finally {
      await compose('start', 'products');
    }
    await waitHealthy('products');
  });

  it('names a stopped exporter: monitoring is part of the stack', async () => {
    await compose('stop', 'redis-exporter');
    try {
      const doctor = await tool('doctor');
      expect(doctor.code, doctor.output).toBe(1);
      expect(doctor.output).toMatch(/- redis-exporter: exited/);
    } finally {
      await compose('start', 'redis-exporter');
    }
    await waitHealthy('redis-exporter');
  });

  it('names Redis when it is down, and the services it leaves not ready', async () => {
    await compose('stop', 'redis');
    try {
      const doctor = await tool('doctor');
      expect(doctor.code, doctor.output).toBe(1);
      expect(doctor.output).toMatch(/- redis: exited/);
      expect(doctor.output).toMatch(/- orders: (unhealthy, )?not ready: 503 .*"redis":"down"/);
      expect(doctor.output).toContain('Redis append-only file: unknown (Redis not answering)');
    } finally {
      await compose('start', 'redis');
    }
    for (const service of ['redis', 'api-gateway', 'users', 'products', 'orders'] as const) await waitHealthy(service);
  });
});
