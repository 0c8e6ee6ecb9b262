import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';

/** One part of a service's time: how long it was busy, over how many calls, and what came of it. */
interface Part {
  busyMs: number;
  /** Calls in flight: overlapping calls (parallel queries) count their time once. */
  active: number;
  activeSince: number;
  calls: number;
  desc: string | undefined;
}

// What a downstream service sends back is passed on, but a misbehaving one cannot grow our
// header without bound.
const MAX_PASSED_ON = 4096;

/** `desc` as a token when it is one (`desc=hit`), else as a quoted string. */
function descParam(desc: string | undefined): string {
  if (!desc) return '';
  return /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(desc) ? `;desc=${desc}` : `;desc="${desc.replace(/["\\]/g, '\\$&')}"`;
}

const ms = (value: number) => `;dur=${Math.round(value * 10) / 10}`;

/**
 * Where one request's time went in this service (users, gateway…): its parts are named
 * `<service>-<part>`: `db`, `cache`, or the downstream service it waited on. A downstream
 * service's own entries are passed on as they came, so the header that reaches the client
 * describes every service the request went through.
 */
export class RequestTimings {
  private readonly startedAt = performance.now();
  private readonly parts = new Map<string, Part>();
  private readonly passedOn: string[] = [];
  private passedOnLength = 0;

  constructor(
    readonly service: string,
    private readonly desc?: string,
  ) {}

  /** Marks the start of a call; the function returned marks its end. */
  begin(part: string): (desc?: string) => void {
    const entry = this.parts.get(part) ?? { busyMs: 0, active: 0, activeSince: 0, calls: 0, desc: undefined };
    this.parts.set(part, entry);
    if (entry.active === 0) entry.activeSince = performance.now();
    entry.active += 1;
    entry.calls += 1;
    let ended = false;
    return (desc) => {
      if (ended) return;
      ended = true;
      entry.active -= 1;
      if (entry.active === 0) entry.busyMs += performance.now() - entry.activeSince;
      if (desc !== undefined) entry.desc = desc;
    };
  }

  /** Sets what a part came to (a cache's hit or miss), whoever timed it. */
  describe(part: string, desc: string): void {
    const entry = this.parts.get(part);
    if (entry) entry.desc = desc;
  }

  /** A downstream service's Server-Timing header, kept for ours. */
  passOn(header: string | undefined): void {
    const value = header?.trim();
    if (!value || this.passedOnLength + value.length > MAX_PASSED_ON) return;
    this.passedOn.push(value);
    this.passedOnLength += value.length;
  }

  /** The Server-Timing value as of now: this service, its parts, then what was passed on. */
  header(): string {
    const now = performance.now();
    const entries = [`${this.service}${descParam(this.desc)}${ms(now - this.startedAt)}`];
    for (const [name, part] of this.parts) {
      const busy = part.busyMs + (part.active > 0 ? now - part.activeSince : 0);
      const desc = part.desc ?? (part.calls > 1 ? `${part.calls} calls` : undefined);
      entries.push(`${this.service}-${name}${descParam(desc)}${ms(busy)}`);
    }
    return [...entries, ...this.passedOn].join(', ');
  }
}

const current = new AsyncLocalStorage<RequestTimings>();

/** Runs `work` (the rest of a request's handling) with `timings` as the request's own. */
export function runWithTimings<T>(timings: RequestTimings, work: () => T): T {
  return current.run(timings, work);
}

/** The timings of the request being handled, if any (none at start-up or in background work). */
export function currentTimings(): RequestTimings | undefined {
  return current.getStore();
}

/** Times `work` as a part of the current request, if there is one, whatever its outcome. */
export async function timed<T>(part: string, work: () => Promise<T>): Promise<T> {
  const end = currentTimings()?.begin(part);
  if (!end) return work();
  try {
    return await work();
  } finally {
    end();
  }
}
