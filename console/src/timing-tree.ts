// Arranges Server-Timing entries into a tree of hops and parts, and that tree into the rows
// of a waterfall. Naming rule (see server-timing.ts): `<hop>` is a hop's total, `<hop>-<part>`
// a part of it; a part named after another hop is the wait on calls to that hop, and that
// hop's own entries nest under it.

import type { ServerTimingEntry } from './server-timing';

const HOPS = ['nginx', 'gateway', 'users', 'products', 'orders'] as const;
type Hop = (typeof HOPS)[number];
const isHop = (name: string): name is Hop => (HOPS as readonly string[]).includes(name);

// Who calls whom when the header holds a hop's entries but no part naming it
// (e.g. nginx reports its total only): the hop then nests under its usual caller.
const USUAL_CALLER: Partial<Record<Hop, Hop>> = { gateway: 'nginx', users: 'gateway', products: 'gateway', orders: 'gateway' };

export interface TimingNode {
  entry: ServerTimingEntry;
  hop: string;
  /** Set on a part (`<hop>-<part>`): the part's name. */
  part?: string;
  children: TimingNode[];
}

/** One time a hop handled the request: its total and the parts it measured. */
interface Visit {
  hop: Hop;
  total?: ServerTimingEntry;
  parts: ServerTimingEntry[];
}

/**
 * Arranges entries into hop → parts, a part naming a hop holding that hop's entries.
 * A hop seen several times (orders calls products twice) has one visit per total entry, in
 * header order, matched to the parts that name it in the same order. Entries that do not
 * follow the naming rule come back in `loose`, in header order: nothing is ever dropped.
 */
export function arrangeTimings(entries: readonly ServerTimingEntry[]): { tree: TimingNode[]; loose: ServerTimingEntry[] } {
  const visits = new Map<Hop, Visit[]>();
  const partOf = new Map<ServerTimingEntry, string>();
  const loose: ServerTimingEntry[] = [];
  const visitOrder: Visit[] = [];
  for (const entry of entries) {
    const name = entry.name.toLowerCase();
    const dash = name.indexOf('-');
    const hop = isHop(name) || dash < 0 ? name : name.slice(0, dash);
    const part = isHop(name) || dash < 0 ? undefined : name.slice(dash + 1);
    if (!isHop(hop) || part === '') {
      loose.push(entry);
      continue;
    }
    const list = visits.get(hop) ?? [];
    visits.set(hop, list);
    let last = list.at(-1);
    if (!last || (part === undefined && last.total)) {
      last = { hop, parts: [] };
      list.push(last);
      visitOrder.push(last);
    }
    if (part === undefined) last.total = entry;
    else {
      last.parts.push(entry);
      partOf.set(entry, part);
    }
  }

  // The k-th part naming a hop gets that hop's k-th visit.
  const claims = new Map<ServerTimingEntry, Visit>();
  const claimed = new Set<Visit>();
  const calls = new Map<Hop, number>();
  for (const visit of visitOrder) {
    for (const entry of visit.parts) {
      const callee = partOf.get(entry) ?? '';
      if (!isHop(callee) || callee === visit.hop) continue;
      const k = calls.get(callee) ?? 0;
      calls.set(callee, k + 1);
      const target = visits.get(callee)?.[k];
      if (target) {
        claims.set(entry, target);
        claimed.add(target);
      }
    }
  }
  const adopted = new Map<Visit, Visit[]>();
  const roots: Visit[] = [];
  for (const visit of visitOrder) {
    if (claimed.has(visit)) continue;
    const caller = USUAL_CALLER[visit.hop];
    const parent = caller ? visits.get(caller)?.[0] : undefined;
    if (parent) adopted.set(parent, [...(adopted.get(parent) ?? []), visit]);
    else roots.push(visit);
  }

  // Each visit is placed once; `placed` also breaks cycles in a malformed header.
  const placed = new Set<Visit>();
  const build = (visit: Visit): TimingNode[] => {
    placed.add(visit);
    const children: TimingNode[] = visit.parts.map((entry) => {
      const target = claims.get(entry);
      const nested = target && !placed.has(target) ? build(target) : [];
      return { entry, hop: visit.hop, part: partOf.get(entry) ?? '', children: nested };
    });
    for (const child of adopted.get(visit) ?? []) if (!placed.has(child)) children.push(...build(child));
    // Without a total, the hop's parts stand where the hop would have.
    return visit.total ? [{ entry: visit.total, hop: visit.hop, children }] : children;
  };
  roots.sort((a, b) => HOPS.indexOf(a.hop) - HOPS.indexOf(b.hop));
  const tree = roots.flatMap(build);
  for (const visit of visitOrder) if (!placed.has(visit)) tree.push(...build(visit));
  return { tree, loose };
}

export interface WaterfallRow {
  entry: ServerTimingEntry;
  depth: number;
  /** dur relative to the scale, 0…1; undefined without a dur. */
  fraction?: number;
  loose: boolean;
}

/**
 * The rows of the waterfall, depth-first, then the loose entries flat. The scale is the
 * largest duration: the outermost hop's, or the browser-measured total when larger.
 */
export function waterfallRows(entries: readonly ServerTimingEntry[], browserMs = 0): { rows: WaterfallRow[]; scaleMs: number } {
  const { tree, loose } = arrangeTimings(entries);
  const scaleMs = Math.max(browserMs, ...entries.map((e) => e.dur ?? 0));
  const fraction = (entry: ServerTimingEntry): number | undefined =>
    entry.dur === undefined ? undefined : scaleMs > 0 ? Math.min(1, entry.dur / scaleMs) : 0;
  const rows: WaterfallRow[] = [];
  const walk = (nodes: readonly TimingNode[], depth: number): void => {
    for (const node of nodes) {
      rows.push({ entry: node.entry, depth, fraction: fraction(node.entry), loose: false });
      walk(node.children, depth + 1);
    }
  };
  walk(tree, 0);
  for (const entry of loose) rows.push({ entry, depth: 0, fraction: fraction(entry), loose: true });
  return { rows, scaleMs };
}
