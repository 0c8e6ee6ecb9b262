import { describe, expect, it } from 'vitest';
import { api, exec } from './stack.js';
import { NODE_SERVICES } from './stack-env.js';

/** GET /metrics from inside a Node service's own container, on the port Prometheus scrapes. */
const scrapeFromInside = (service: (typeof NODE_SERVICES)[number]) =>
  exec(service, ['node', '-e', "fetch('http://127.0.0.1:9464/metrics').then(async (res) => console.log(res.status, await res.text()))"]);

describe('service metrics', () => {
  it('are served by every Node process on port 9464 inside the stack, labelled with its service', async () => {
    for (const service of NODE_SERVICES) {
      const { code, output } = await scrapeFromInside(service);
      expect(code, service).toBe(0);
      expect(output.startsWith('200 '), output.slice(0, 200)).toBe(true);
      expect(output).toMatch(new RegExp(`^process_cpu_seconds_total\\{service="${service}"\\} `, 'm'));
      // Its healthcheck's requests, by their route's template.
      expect(output).toMatch(new RegExp(`^http_requests_total\\{route="/ready",method="GET",status="200",service="${service}"\\} \\d+`, 'm'));
    }
  });

  it('are out of reach through nginx, the only way in', async () => {
    for (const path of ['/metrics', '/api/metrics']) {
      const res = await api(path);
      expect(res.text, path).not.toContain('process_cpu_seconds_total');
    }
    expect((await api('/api/metrics')).status).toBe(404);
  });
});
