import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../../bench/compose-project.js';

/**
 * Prometheus's config and alert rules (monitoring/), checked by promtool: the program
 * Prometheus ships to validate a config and to unit-test rules against made-up series
 * (monitoring/tests/*.test.yml). It runs from the very image docker-compose.yml names, in a
 * throwaway container with no network, monitoring/ mounted read-only.
 */
const monitoring = path.join(repoRoot(), 'monitoring');

const readYaml = <T>(file: string): T => parse(readFileSync(path.join(monitoring, file), 'utf8')) as T;
const yamlFiles = (folder: string) => readdirSync(path.join(monitoring, folder)).filter((name) => name.endsWith('.yml')).map((name) => `${folder}/${name}`);

function prometheusImage(): string {
  const compose = parse(readFileSync(path.join(repoRoot(), 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, { image?: string }> };
  const image = compose.services['prometheus']?.image;
  if (!image) throw new Error('docker-compose.yml has no image for prometheus');
  return image;
}

/** `promtool <args>` in monitoring/; never throws: the exit code and all it printed. */
function promtool(...args: string[]): Promise<{ code: number; output: string }> {
  const run = ['run', '--rm', '--network', 'none', '--entrypoint', 'promtool', '-v', `${monitoring}:/etc/prometheus:ro`, '-w', '/etc/prometheus', prometheusImage()];
  return new Promise((resolve) => {
    execFile('docker', [...run, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

interface Rule {
  alert?: string;
  record?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleTests {
  tests: Array<{ alert_rule_test?: Array<{ alertname: string; exp_alerts: unknown[] }> }>;
}
interface PrometheusConfig {
  scrape_configs: Array<{ job_name: string; dns_sd_configs?: Array<{ names: string[] }> }>;
}

const rules = yamlFiles('rules').flatMap((file) => readYaml<{ groups: Array<{ rules: Rule[] }> }>(file).groups.flatMap((group) => group.rules));
const alerts = rules.filter((rule) => rule.alert);

describe('monitoring/: Prometheus config and alert rules', () => {
  it.each(['prometheus.yml', 'prometheus.swarm.yml'])('promtool check config %s: valid, and so are the rule files it loads', async (file) => {
    const { code, output } = await promtool('check', 'config', file);
    expect(code, output).toBe(0);
    expect(output).toMatch(/SUCCESS: \d+ rule files found/);
  });

  it('promtool test rules: every alert fires, and stays quiet, as its unit tests say', async () => {
    const tests = yamlFiles('tests').filter((file) => file.endsWith('.test.yml'));
    expect(tests.length).toBeGreaterThan(0);
    const { code, output } = await promtool('test', 'rules', ...tests);
    expect(code, output).toBe(0);
  });

  it('every alert has a severity, a summary and the runbook, and a unit test in which it fires', () => {
    const fired = new Set(
      yamlFiles('tests').flatMap((file) =>
        readYaml<RuleTests>(file).tests.flatMap((test) => (test.alert_rule_test ?? []).filter((check) => check.exp_alerts.length > 0).map((check) => check.alertname)),
      ),
    );
    expect(alerts.length).toBeGreaterThan(0);
    for (const { alert, labels, annotations } of alerts) {
      expect(['critical', 'warning'], alert).toContain(labels?.['severity']);
      expect(annotations?.['summary'], alert).toBeTruthy();
      expect(annotations?.['runbook'], alert).toBe('README.md#monitoring');
      expect(fired.has(alert!), `${alert} fires in no test`).toBe(true);
    }
  });

  it('expects every name the jobs look up (TargetMissing), and nothing else', () => {
    const lookedUp = readYaml<PrometheusConfig>('prometheus.yml').scrape_configs.flatMap(({ job_name, dns_sd_configs = [] }) =>
      dns_sd_configs.flatMap(({ names }) => names.map((name) => `${job_name} ${name}`)),
    );
    const expected = rules.filter((rule) => rule.record === 'shopstack:expected_target').map(({ labels }) => `${labels?.['job']} ${labels?.['dns_name']}`);
    expect(expected.sort()).toEqual(lookedUp.sort());
  });

  it('Swarm looks up the same names as tasks.<name>, and differs in nothing else', () => {
    const compose = readYaml<PrometheusConfig>('prometheus.yml');
    for (const job of compose.scrape_configs) {
      for (const sd of job.dns_sd_configs ?? []) sd.names = sd.names.map((name) => `tasks.${name}`);
    }
    expect(readYaml<PrometheusConfig>('prometheus.swarm.yml')).toEqual(compose);
  });
});
