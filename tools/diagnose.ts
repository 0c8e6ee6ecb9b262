import { exporterOf } from './compose-model.js';
import type { ContainerFacts, StackFacts } from './stack-facts.js';

export interface Finding {
  piece: string;
  /** A problem makes the doctor exit 1; a note is worth a look but not wrong in itself. */
  severity: 'problem' | 'note';
  what: string;
  fix: string;
}

const MINIMUM = { engine: '25.0', compose: '2.22' };

/** "26.1.5+dfsg1" ≥ "25.0"? */
export function atLeast(version: string, minimum: string): boolean {
  const parts = (text: string) => (text.match(/\d+(\.\d+)*/)?.[0] ?? '0').split('.').map(Number);
  const [have, want] = [parts(version), parts(minimum)];
  for (let i = 0; i < want.length; i++) {
    if ((have[i] ?? 0) !== want[i]) return (have[i] ?? 0) > want[i]!;
  }
  return true;
}

/** What to do about a failing /ready or health check, from the checks it names as down. */
function readinessFix(service: string, output: string, facts: StackFacts): string {
  const down = [...output.matchAll(/"(\w+)":"down"/g)].map((match) => match[1]!);
  if (down.includes('postgres')) {
    const database = Object.entries(facts.owners).find(([, owner]) => owner === service)?.[0] ?? 'its database';
    return `its database is unreachable: look at ${database} (docker compose ps ${database}; docker compose start ${database})`;
  }
  if (down.includes('redis')) return 'Redis is unreachable: docker compose ps redis; docker compose start redis';
  if (down.length > 0) return `${down.join(', ')} down: see docker compose logs ${service}`;
  if (/exceeded timeout|no answer/.test(output)) {
    return `it did not answer in time: is the host overloaded (docker stats --no-stream)? else see docker compose logs --tail 50 ${service}`;
  }
  return `see why: docker compose logs --tail 50 ${service}`;
}

function containerFindings(c: ContainerFacts, facts: StackFacts): Finding[] {
  const found: Finding[] = [];
  const add = (severity: Finding['severity'], what: string, fix: string) => found.push({ piece: c.service, severity, what, fix });
  if (c.oneShot && c.state === 'exited' && c.exitCode === 0) return found;
  if (c.state !== 'running') {
    add('problem', `${c.state} (exit code ${c.exitCode})`, `docker compose logs --tail 50 ${c.service}, then docker compose up -d --wait ${c.service}`);
    return found;
  }
  // /ready asked just now says more than the last health check, up to 10 s old.
  if (c.ready !== undefined && !c.ready.startsWith('200 ')) {
    add('problem', `${c.health === 'unhealthy' ? 'unhealthy, ' : ''}not ready: ${c.ready}`, readinessFix(c.service, c.ready, facts));
  } else if (c.health === 'unhealthy') {
    add('problem', `unhealthy: ${c.lastHealthOutput || 'the check printed nothing'}`, readinessFix(c.service, c.lastHealthOutput, facts));
  }
  if (c.health === 'starting') add('problem', 'still starting (health: starting)', 'wait for it: docker compose up -d --wait');
  if (c.restartCount > 0) add('note', `restarted ${c.restartCount} time(s)`, `docker compose logs ${c.service} shows why it stopped`);
  // Services behind a profile (the Nginx lab) publish their own port on purpose.
  if (c.service !== 'nginx' && facts.expected.includes(c.service) && c.published.length > 0) {
    add('problem', `publishes ${c.published.join(', ')} on the host`, 'only nginx should: replace `ports:` by `expose:` in docker-compose.yml');
  }
  for (const line of c.errors) {
    const requestId = /"requestId":"([^"]+)"/.exec(line)?.[1];
    add('note', `logged: ${line}`, requestId ? `follow that request everywhere: docker compose logs | grep ${requestId}` : `docker compose logs ${c.service}`);
  }
  return found;
}

function networkFindings(facts: StackFacts): Finding[] {
  const found: Finding[] = [];
  const running = facts.containers.filter((c) => c.state === 'running');
  for (const store of facts.dataStores) {
    const storeNetworks = new Set(running.filter((c) => c.service === store).flatMap((c) => c.networks));
    const reaching = running.filter((c) => c.service !== store && c.networks.some((n) => storeNetworks.has(n))).map((c) => c.service);
    // A database: its service, and its exporter (the read-only `monitor` role: statistics, no
    // rows). Redis is shared on backend; only nginx must never reach it.
    const allowed = facts.owners[store] ? [facts.owners[store], exporterOf(store)] : null;
    const wrong = [...new Set(reaching.filter((s) => (allowed ? !allowed.includes(s) : s === 'nginx')))];
    if (wrong.length) {
      found.push({ piece: store, severity: 'problem', what: `reachable from ${wrong.join(', ')}`, fix: 'keep each database on a network shared with its own service only (docker compose up -d after fixing the file)' });
    }
    for (const network of storeNetworks) {
      if (facts.internalNetworks[network] === false) {
        found.push({ piece: store, severity: 'problem', what: `on network ${network}, which is not internal`, fix: `set internal: true on ${network}, then docker compose down && docker compose up -d` });
      }
    }
  }
  return found;
}

export function diagnose(facts: StackFacts): Finding[] {
  const found: Finding[] = [];
  if (!atLeast(facts.engineVersion, MINIMUM.engine)) {
    found.push({ piece: 'docker', severity: 'problem', what: `Docker Engine ${facts.engineVersion}`, fix: `upgrade to ${MINIMUM.engine} or later (healthchecks use start_interval)` });
  }
  if (!atLeast(facts.composeVersion, MINIMUM.compose)) {
    found.push({ piece: 'docker', severity: 'problem', what: `Compose ${facts.composeVersion}`, fix: `upgrade to ${MINIMUM.compose} or later (docker compose watch)` });
  }
  for (const service of facts.expected) {
    if (!facts.containers.some((c) => c.service === service)) {
      found.push({ piece: service, severity: 'problem', what: 'no container', fix: `docker compose up -d --wait ${service}` });
    }
  }
  for (const container of facts.containers) found.push(...containerFindings(container, facts));
  const nginx = facts.containers.find((c) => c.service === 'nginx' && c.state === 'running');
  if (nginx && nginx.published.length === 0) {
    found.push({ piece: 'nginx', severity: 'problem', what: 'publishes no port: the stack cannot be reached', fix: 'give nginx `ports: ["8080:80"]`' });
  }
  found.push(...networkFindings(facts));
  if (facts.redisAppendOnly !== undefined && facts.redisAppendOnly !== 'yes') {
    found.push({ piece: 'redis', severity: 'problem', what: `appendonly is ${facts.redisAppendOnly}: a restart loses the cache and idempotency keys`, fix: 'run redis-server --appendonly yes with a volume on /data' });
  }
  return found;
}
