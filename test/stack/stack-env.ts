/**
 * The admin the tests log in as: global-setup sets this password with the secrets job
 * before the stack starts, and passes the email (below) so that a developer's own .env
 * cannot change it under the tests.
 */
export const ADMIN = { email: 'admin@shopstack.local', password: 'admin-demo-password' } as const;

/**
 * The environment the stack tests run the compose file with. Defaults everywhere else;
 * only what a test run needs differs:
 *  - HTTP_PORT=0 (and LAB_HTTP_PORT, the Nginx lab's): Docker picks a free host port, so
 *    tests run beside a demo already up;
 *  - the gateway's per-minute limit is raised (the suite sends thousands of requests from
 *    one address); nginx keeps its real per-second limit, which one test drives;
 *  - the admin's email, set here rather than taken from a .env.
 * Monitoring (Prometheus and the exporters) is on, as by default: every test holds with it.
 */
export const STACK_ENV: Record<string, string> = {
  HTTP_PORT: '0',
  LAB_HTTP_PORT: '0',
  RATE_LIMIT_MAX: '1000000',
  NGINX_RATE_LIMIT: '100r/s',
  NGINX_RATE_BURST: '500',
  ADMIN_EMAIL: ADMIN.email,
};

export const NODE_SERVICES = ['api-gateway', 'users', 'products', 'orders'] as const;
/** Monitoring's containers: Prometheus and one exporter per piece that is not ours. */
export const MONITORING_SERVICES = ['prometheus', 'nginx-exporter', 'redis-exporter', 'users-db-exporter', 'products-db-exporter', 'orders-db-exporter'] as const;
export const ALL_SERVICES = ['nginx', ...NODE_SERVICES, 'users-db', 'products-db', 'orders-db', 'redis', ...MONITORING_SERVICES] as const;
export type Service = (typeof ALL_SERVICES)[number];
/**
 * Containers with no healthcheck, and nothing to run inside them: nginx-exporter's official
 * image is FROM scratch (the exporter alone). Running is all it can say of itself; Prometheus's
 * `up` for job nginx says the rest (test/stack/prometheus.test.ts).
 */
export const WITHOUT_SHELL: ReadonlySet<Service> = new Set(['nginx-exporter']);
/** What `health()` says of each container when all is well: `none` for one with no healthcheck. */
export const HEALTHY = (service: Service) => (WITHOUT_SHELL.has(service) ? 'none' : 'healthy');
/** One-shot jobs `up` runs before the others, which exit 0 instead of staying healthy. */
export const JOBS = ['secrets'] as const;
export type Job = (typeof JOBS)[number];

/** The networks each container must be on, and no other: the isolation the compose file promises. */
export const NETWORKS_OF: Record<Service, string[]> = {
  nginx: ['public'],
  'api-gateway': ['backend', 'public'],
  users: ['backend', 'users-data'],
  products: ['backend', 'products-data'],
  orders: ['backend', 'orders-data'],
  'users-db': ['users-data'],
  'products-db': ['products-data'],
  'orders-db': ['orders-data'],
  redis: ['backend'],
  // Prometheus: the services (backend) and the exporters (monitoring). Each exporter: the
  // network of the one thing it reads, and monitoring.
  prometheus: ['backend', 'monitoring'],
  'nginx-exporter': ['monitoring', 'public'],
  'redis-exporter': ['backend', 'monitoring'],
  'users-db-exporter': ['monitoring', 'users-data'],
  'products-db-exporter': ['monitoring', 'products-data'],
  'orders-db-exporter': ['monitoring', 'orders-data'],
};

declare module 'vitest' {
  export interface ProvidedContext {
    stack: { projectName: string; root: string };
  }
}
