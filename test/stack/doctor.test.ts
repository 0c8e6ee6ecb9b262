import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import { describe, expect, it } from 'vitest';
import type { Service } from './stack-env.js';
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

/**
 * The doctor's report while `service` is stopped or killed; then the service started again,
 * and it and those that depend on it (`dependents`) waited for until healthy.
 */
async function doctorWhile(how: 'stop' | 'kill', service: Service, dependents: Service[] = []): Promise<{ code: number; output: string }> {
  await compose(how, service);
  try {
    return await tool('doctor');
  } finally {
    await compose('start', service);
    for (const name of [service, ...dependents]) await waitHealthy(name);
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
    const doctor = await doctorWhile('stop', 'users-db', ['users']);
    expect(doctor.code, doctor.output).toBe(1);
    expect(doctor.output).toMatch(/- users-db: exited/);
    expect(doctor.output).toMatch(/- users: (unhealthy, )?not ready: 503 .*"postgres":"down"/);
    expect(doctor.output).toContain('fix: its database is unreachable: look at users-db');
  });

  it('names a killed service', async () => {
    const doctor = await doctorWhile('kill', 'products');
    expect(doctor.code, doctor.output).toBe(1);
    expect(doctor.output).toMatch(/- products: exited \(exit code 137\)/);
    expect(doctor.output).toContain('fix: docker compose logs --tail 50 products, then docker compose up -d --wait products');
  });

  it('names a stopped exporter: monitoring is part of the stack', async () => {
    const doctor = await doctorWhile('stop', 'redis-exporter');
    expect(doctor.code, doctor.output).toBe(1);
    expect(doctor.output).toMatch(/- redis-exporter: exited/);
  });

  it('names Redis when it is down, and the services it leaves not ready', async () => {
    const doctor = await doctorWhile('stop', 'redis', ['api-gateway', 'users', 'products', 'orders']);
    expect(doctor.code, doctor.output).toBe(1);
    expect(doctor.output).toMatch(/- redis: exited/);
    expect(doctor.output).toMatch(/- orders: (unhealthy, )?not ready: 503 .*"redis":"down"/);
    expect(doctor.output).toContain('Redis append-only file: unknown (Redis not answering)');
  });
});
