/**
 * What the swarm tests deploy deploy/swarm/stack.yml with: the scripts' own defaults, but
 * names of this run's own (stack, images, secrets), so that it runs beside anything else
 * on the engine, the limits the stack tests also raise (all traffic comes from one
 * address), and an admin whose password the tests know.
 */
interface SwarmRun {
  stack: string;
  port: number;
  /** The environment deploy/swarm/*.sh run with. */
  env: Record<string, string>;
  /** Seconds from `docker stack deploy` to every task running and healthy. */
  convergedInSeconds: number;
}

/**
 * The admin the tests log in as: the compose file's demo one, which deploy.sh turns into the
 * admin password's secret (ADMIN_PASSWORD) and the stack file passes on (ADMIN_EMAIL).
 */
export const ADMIN = { email: 'admin@shopstack.local', password: 'admin-demo-password' } as const;

export function swarmEnv(stack: string, port: number): Record<string, string> {
  return {
    STACK: stack,
    IMAGE_PREFIX: stack,
    TAG: 'test',
    SECRETS_PREFIX: stack,
    HTTP_PORT: String(port),
    RATE_LIMIT_MAX: '1000000',
    NGINX_RATE_LIMIT: '100r/s',
    NGINX_RATE_BURST: '500',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
  };
}

export const NODE_SERVICES = ['api-gateway', 'users', 'products', 'orders'] as const;
export const DATA_SERVICES = ['users-db', 'products-db', 'orders-db', 'redis'] as const;
export const ALL_SERVICES = ['nginx', ...NODE_SERVICES, ...DATA_SERVICES] as const;
/** deploy/swarm/stack.monitoring.yml's services, which deploy.sh adds unless MONITORING=0. */
export const MONITORING_SERVICES = ['prometheus', 'nginx-exporter', 'redis-exporter', 'users-db-exporter', 'products-db-exporter', 'orders-db-exporter'] as const;
export type Service = (typeof ALL_SERVICES)[number] | (typeof MONITORING_SERVICES)[number];

declare module 'vitest' {
  export interface ProvidedContext {
    swarm: SwarmRun;
  }
}
