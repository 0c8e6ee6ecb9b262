// Server-Timing: what each hop says it spent on a request, read into a waterfall.
//
// Header grammar (several hops append to it, joined by ", ", in no guaranteed order):
//   entry = name *( ";" param [ "=" ( token / quoted-string ) ] ), entries separated by ","
// `dur` is milliseconds, `desc` free text. Naming rule of this stack:
//   <hop>         total time spent in that hop (hops: nginx, gateway, users, products, orders)
//   <hop>-<part>  a part of that hop's time, measured by the hop: db, cache, redis, ratelimit,
//                 lock… or another hop's name: time waiting on its call(s) to that hop.
// The parser never throws: a header is diagnostic help, and junk in it must not break the log.

export interface ServerTimingEntry {
  name: string;
  dur?: number;
  desc?: string;
}

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;

export function parseServerTiming(header: string | null | undefined): ServerTimingEntry[] {
  if (typeof header !== 'string') return [];
  const text = header;
  const entries: ServerTimingEntry[] = [];
  let i = 0;
  const skipSpace = (): void => {
    while (text[i] === ' ' || text[i] === '\t') i++;
  };
  const token = (): string => {
    const start = i;
    while (i < text.length && TCHAR.test(text[i] ?? '')) i++;
    return text.slice(start, i);
  };
  const quoted = (): string => {
    let value = '';
    i++; // the opening quote
    while (i < text.length) {
      const c = text[i++];
      if (c === '"') return value;
      if (c === '\\' && i < text.length) value += text[i++];
      else value += c;
    }
    return value; // unterminated: keep what there is
  };
  // Junk: drop the rest of this entry, stepping over quoted strings (they may hold commas).
  const skipEntry = (): void => {
    while (i < text.length && text[i] !== ',') {
      if (text[i] === '"') quoted();
      else i++;
    }
  };

  while (i < text.length) {
    skipSpace();
    if (text[i] === ',') {
      i++;
      continue;
    }
    const name = token();
    if (name === '') {
      skipEntry();
      continue;
    }
    const entry: ServerTimingEntry = { name };
    const seen = new Set<string>();
    for (;;) {
      skipSpace();
      if (i >= text.length || text[i] === ',') break;
      if (text[i] !== ';') {
        skipEntry();
        break;
      }
      i++;
      skipSpace();
      const param = token().toLowerCase();
      skipSpace();
      let value = '';
      if (text[i] === '=') {
        i++;
        skipSpace();
        value = text[i] === '"' ? quoted() : token();
      }
      if (param === '' || seen.has(param)) continue; // the first occurrence wins
      seen.add(param);
      if (param === 'dur') {
        const dur = Number(value);
        if (value !== '' && Number.isFinite(dur) && dur >= 0) entry.dur = dur;
      } else if (param === 'desc') entry.desc = value;
    }
    entries.push(entry);
  }
  return entries;
}

/** Which gateway instance answered: the `gateway` entry's desc. */
export function gatewayInstance(entries: readonly ServerTimingEntry[]): string | undefined {
  return entries.find((e) => e.name.toLowerCase() === 'gateway' && e.desc)?.desc;
}
