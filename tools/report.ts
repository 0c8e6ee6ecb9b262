import type { Finding } from './diagnose.js';
import type { StackFacts } from './stack-facts.js';

const mark = (ok: boolean) => (ok ? '✓' : '✗');

/** One line per container: what `docker compose ps` and `docker inspect` would tell. */
export function describeStack(facts: StackFacts): string[] {
  const lines = [`Project ${facts.project}: Docker Engine ${facts.engineVersion}, Compose ${facts.composeVersion}`, ''];
  const width = Math.max(...facts.containers.map((c) => c.name.length), 10);
  for (const c of [...facts.containers].sort((a, b) => a.name.localeCompare(b.name))) {
    // A one-shot job (secrets) is well when it has run to exit 0.
    const healthy = c.oneShot ? c.state === 'exited' && c.exitCode === 0 : c.state === 'running' && (c.health === 'healthy' || c.health === 'none');
    const parts = [
      c.state === 'running' ? c.health : `${c.state} (${c.exitCode})`,
      c.restartCount ? `${c.restartCount} restart(s)` : '',
      c.published.length ? `ports ${c.published.join(' ')}` : '',
      `networks ${c.networks.join(',') || '-'}`,
    ].filter(Boolean);
    lines.push(`  ${mark(healthy)} ${c.name.padEnd(width)}  ${parts.join('  ')}`);
    if (c.ready !== undefined) lines.push(`    ${''.padEnd(width)}  /ready: ${c.ready}`);
  }
  lines.push('', `Redis append-only file: ${facts.redisAppendOnly ?? 'unknown (Redis not answering)'}`);
  lines.push(`Disk used by Docker: ${facts.disk.join('; ')}`);
  return lines;
}

export function describeFindings(findings: Finding[]): string[] {
  const problems = findings.filter((f) => f.severity === 'problem');
  const notes = findings.filter((f) => f.severity === 'note');
  const lines: string[] = [''];
  const list = (title: string, items: Finding[]) => {
    lines.push(title);
    for (const f of items) lines.push(`  - ${f.piece}: ${f.what}`, `    fix: ${f.fix}`);
    lines.push('');
  };
  if (notes.length) list(`Worth a look (${notes.length}):`, notes);
  if (problems.length) list(`Problems (${problems.length}):`, problems);
  else lines.push('No problem found.');
  return lines;
}
