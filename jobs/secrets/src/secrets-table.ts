// Every secret of the stack, one line each: its name (the file's name, and the Swarm secret's
// name after the stack's prefix), how it is made, and the containers that get it. Each
// container mounts only its own folder of the `secrets` volume, read-only, at /run/secrets:
// users finds /run/secrets/users_db_password, and nothing of products'.

type Make =
  /** 32 random characters, letters, digits, - and _ (192 bits). */
  | 'password'
  /** Redis's ACL file, made again at every run from the redis_* passwords (redis-acl.ts). */
  | 'redis-acl'
  /** redis_exporter's JSON password file, made again at every run from redis_exporter_password. */
  | 'redis-exporter-auth'
  /** A self-signed certificate and its key (certificate.ts): tls_cert and tls_key. */
  | 'certificate';

export interface Secret {
  name: string;
  make: Make;
  /** Containers, by compose service name: one folder each. */
  to: readonly string[];
}

// prettier-ignore
export const SECRETS: readonly Secret[] = [
  // Each database's owner: its service connects with it; Postgres sets it when its volume is made.
  { name: 'users_db_password',            make: 'password',    to: ['users', 'users-db'] },
  { name: 'products_db_password',         make: 'password',    to: ['products', 'products-db'] },
  { name: 'orders_db_password',           make: 'password',    to: ['orders', 'orders-db'] },
  // For monitoring: a read-only `monitor` role in each database, created by <db>-db, used by
  // the exporter beside it (<db>-db-exporter). Made now, so the monitoring add-on finds them.
  { name: 'users_db_monitor_password',    make: 'password',    to: ['users-db', 'users-db-exporter'] },
  { name: 'products_db_monitor_password', make: 'password',    to: ['products-db', 'products-db-exporter'] },
  { name: 'orders_db_monitor_password',   make: 'password',    to: ['orders-db', 'orders-db-exporter'] },
  // The admin's password: users sets it at every start; the seed job logs in with it.
  { name: 'admin_password',               make: 'password',    to: ['users', 'seed'] },
  // One Redis user per client (what each may do: redis-acl.ts). Redis gets only their hashes,
  // in redis_acl, and the passwords of the users its healthcheck (and the doctor) and a person
  // at redis-cli log in as.
  { name: 'redis_users_password',         make: 'password',    to: ['users'] },
  { name: 'redis_products_password',      make: 'password',    to: ['products'] },
  { name: 'redis_orders_password',        make: 'password',    to: ['orders'] },
  { name: 'redis_api_gateway_password',   make: 'password',    to: ['api-gateway'] },
  { name: 'redis_healthcheck_password',   make: 'password',    to: ['redis'] },
  { name: 'redis_admin_password',         make: 'password',    to: ['redis'] },
  { name: 'redis_exporter_password',      make: 'password',    to: ['redis-exporter'] },
  { name: 'redis_acl',                    make: 'redis-acl',   to: ['redis'] },
  { name: 'redis_exporter_auth',          make: 'redis-exporter-auth', to: ['redis-exporter'] },
  // nginx's certificate for HTTPS when none of your own is given (TLS_CERT_FILE, TLS_KEY_FILE).
  { name: 'tls',                          make: 'certificate', to: ['nginx'] },
];

/**
 * The Node services run as `node`, group 1000 in every node image: their files are readable
 * by that group alone (0440). The other images' users differ from one variant to another (postgres is 70
 * in the Alpine image, 999 in the Debian one), so their files are readable by any user of
 * the one container that mounts the folder (0444): the folder is the boundary.
 */
export const NODE_GID = 1000;
export const NODE_CONTAINERS: ReadonlySet<string> = new Set(['api-gateway', 'users', 'products', 'orders']);
