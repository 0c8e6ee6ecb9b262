import { composeProject } from './compose-project.js';
import { BENCH_ADMIN } from './auth.js';

/**
 * A copy of the stack for a benchmark: the compose file with compose.bench.yml (loopback
 * ports for nginx, the gateway and products) and any further overlay, every limit out of
 * the way, since a benchmark measures the path, not the limiter, and an admin of its own
 * (BENCH_ADMIN), whatever a .env says: `setAdmin()` before `up` gives it its password.
 */
export function benchStack(projectName: string, root: string, { overlays = [], env = {} }: { overlays?: string[]; env?: Record<string, string> } = {}) {
  const project = composeProject({
    projectName,
    root,
    files: ['docker-compose.yml', 'bench/compose.bench.yml', ...overlays],
    env: {
      RATE_LIMIT_MAX: '1000000000',
      NGINX_RATE_LIMIT: '1000000r/s',
      NGINX_RATE_BURST: '1000000',
      NGINX_CONNECTIONS_PER_IP: '1000',
      ADMIN_EMAIL: BENCH_ADMIN.email,
      ...env,
    },
  });
  return { ...project, setAdmin: () => project.secretsJob(['set', 'admin_password'], BENCH_ADMIN.password) };
}
