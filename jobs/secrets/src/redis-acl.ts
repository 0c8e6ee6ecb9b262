import { createHash } from 'node:crypto';

// One Redis user per client, each limited to the keys it owns and the commands it sends.
// The default user (what a client without credentials gets) is off. Passwords are stored as
// SHA-256 hashes (`#<hex>`): Redis never holds a client's password, only a way to check it.

/** What every Node client sends besides its own commands: a PING for /ready, MULTI and EXEC. (node-redis also sends CLIENT SETINFO, its name, and ignores a refusal.) */
const NODE_CLIENT = '+ping +multi +exec +discard';

/** The JSON cache of @shopstack/redis: values, a version per key, one Lua script. */
const JSON_CACHE = '+get +set +mget +incr +expire +del +eval';

export const REDIS_USERS = [
  // users: its cache of accounts and the login failure counters.
  { user: 'users', password: 'redis_users_password', rules: `~users:* ${NODE_CLIENT} ${JSON_CACHE} +decr +pttl` },
  // products: its cache of products.
  { user: 'products', password: 'redis_products_password', rules: `~products:* ${NODE_CLIENT} ${JSON_CACHE}` },
  // orders: the Idempotency-Key locks (SET NX PX, DEL).
  { user: 'orders', password: 'redis_orders_password', rules: `~orders:* ${NODE_CLIENT} +set +del` },
  // The gateway: its rate-limit counters and the last good copy of each product it serves
  // while products is down (it writes and reads them itself, under its own prefix).
  { user: 'api-gateway', password: 'redis_api_gateway_password', rules: `~gateway:* ${NODE_CLIENT} ${JSON_CACHE} +decr +pexpire +pttl` },
  // The healthcheck's PING and the doctor's CONFIG GET appendonly: no key at all.
  { user: 'healthcheck', password: 'redis_healthcheck_password', rules: '+ping +config|get' },
  // A person at redis-cli (the course's KEYS, GET, DEL, INFO): everything. Its password is in
  // Redis's own folder alone, where the data files already are: no client container has it.
  { user: 'admin', password: 'redis_admin_password', rules: '~* &* +@all' },
  // redis_exporter (monitoring): what it sends at each scrape (INFO, CONFIG GET, CLIENT LIST,
  // SLOWLOG, LATENCY, MEMORY STATS, CLUSTER INFO) and its connection's own commands; no key.
  { user: 'exporter', password: 'redis_exporter_password', rules: '+@connection +info +config|get +client +slowlog +latency +memory +cluster|info' },
] as const;

const sha256 = (password: string) => createHash('sha256').update(password).digest('hex');

/** Where redis_exporter finds Redis, as the key of its password file. */
const REDIS_EXPORTER_ADDRESS = 'redis://exporter@redis:6379';

/**
 * redis_exporter's password file (REDIS_PASSWORD_FILE): JSON, each password by the address
 * and user it is for (one exporter may read several Redis), not the bare password.
 */
export function redisExporterAuthFile(password: string): string {
  if (password === '') throw new Error('no redis_exporter_password to make redis_exporter_auth');
  return `${JSON.stringify({ [REDIS_EXPORTER_ADDRESS]: password })}\n`;
}

/** The ACL file, from each user's password (by secret name). */
export function redisAclFile(passwords: ReadonlyMap<string, string>): string {
  const lines = ['user default off resetpass resetkeys resetchannels -@all'];
  for (const { user, password, rules } of REDIS_USERS) {
    const value = passwords.get(password);
    if (value === undefined) throw new Error(`no ${password} to make the ACL of ${user}`);
    lines.push(`user ${user} on #${sha256(value)} resetchannels -@all ${rules}`);
  }
  return `${lines.join('\n')}\n`;
}
