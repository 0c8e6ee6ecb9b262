import { describe, expect, it } from 'vitest';
import { api, exec, inspect } from './stack.js';

/** nginx's status port (nginx/templates/default.conf.template), which nginx-exporter reads. */
const STATUS_PORT = 8090;

describe("nginx's stub_status, for nginx-exporter", () => {
  it('answers its counters to a container on `public` (as nginx-exporter is)', async () => {
    // The gateway is on `public` too, and has node to ask with.
    const ask = `fetch('http://nginx:${STATUS_PORT}/stub_status').then(async (r) => console.log(r.status, await r.text()))`;
    const { code, output } = await exec('api-gateway', ['node', '-e', ask]);
    expect(code, output).toBe(0);
    expect(output).toMatch(/^200 Active connections: \d+/);
    expect(output).toMatch(/server accepts handled requests\n \d+ \d+ \d+/);
  });

  it('is on a port the host cannot reach: nginx publishes 80 (and HTTPS_PORT when set), never the status port', async () => {
    const ports = JSON.parse(await inspect('nginx', '{{json .NetworkSettings.Ports}}')) as Record<string, unknown>;
    expect(ports['80/tcp']).toBeTruthy();
    expect(Object.keys(ports)).not.toContain(`${STATUS_PORT}/tcp`);
  });

  it('is not served through the published port: /stub_status there is the usual JSON 404', async () => {
    for (const path of ['/stub_status', '/nginx_status', '/api/stub_status']) {
      const res = await api(path);
      expect(res.status, path).toBe(404);
      expect(res.body, path).toMatchObject({ error: { code: 'not_found' } });
    }
  });
});
