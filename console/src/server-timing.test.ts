import { describe, expect, it } from 'vitest';
import { gatewayInstance, parseServerTiming } from './server-timing';
import { arrangeTimings, waterfallRows, type TimingNode } from './timing-tree';

const EXAMPLE =
  'products;dur=3.1, products-cache;desc=hit;dur=0.4, gateway;desc="3f2a9c1d0b7e";dur=5.2, ' +
  'gateway-ratelimit;dur=0.6, gateway-products;desc="1 attempt";dur=4.1, nginx;dur=6';

// The tree as "name(children…)", enough to compare shapes.
const shape = (nodes: readonly TimingNode[]): string =>
  nodes.map((n) => (n.children.length ? `${n.entry.name}(${shape(n.children)})` : n.entry.name)).join(' ');

describe('parseServerTiming', () => {
  it('reads names, durations and descriptions, tokens or quoted', () => {
    expect(parseServerTiming(EXAMPLE)).toEqual([
      { name: 'products', dur: 3.1 },
      { name: 'products-cache', desc: 'hit', dur: 0.4 },
      { name: 'gateway', desc: '3f2a9c1d0b7e', dur: 5.2 },
      { name: 'gateway-ratelimit', dur: 0.6 },
      { name: 'gateway-products', desc: '1 attempt', dur: 4.1 },
      { name: 'nginx', dur: 6 },
    ]);
  });

  it('unescapes quoted strings, which may hold commas and semicolons', () => {
    expect(parseServerTiming('a;desc="x, \\"y\\"; z";dur=1,b')).toEqual([{ name: 'a', desc: 'x, "y"; z', dur: 1 }, { name: 'b' }]);
  });

  it('accepts spaces around separators, any param case, and keeps the first of a repeated param', () => {
    expect(parseServerTiming('  db ; DUR = 2.5 ; dur=9 ;desc=x  ,cache')).toEqual([{ name: 'db', dur: 2.5, desc: 'x' }, { name: 'cache' }]);
  });

  it('ignores params it does not know and durations that are not numbers', () => {
    expect(parseServerTiming('a;foo=bar;dur=abc, b;dur=-1, c;dur')).toEqual([{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
  });

  it('survives junk: never throws, keeps the valid entries', () => {
    const junk = [',,, ;;; ==', '"unterminated', 'a;desc="open', '=;=,x;dur=1', 'a b c;dur=2', '\u0000\u00ff;dur=1, ok;dur=1'];
    for (const header of junk) expect(() => parseServerTiming(header)).not.toThrow();
    expect(parseServerTiming(',,, ;;; ==')).toEqual([]);
    expect(parseServerTiming('a;desc="open')).toEqual([{ name: 'a', desc: 'open' }]);
    expect(parseServerTiming('=;=,x;dur=1')).toEqual([{ name: 'x', dur: 1 }]);
    expect(parseServerTiming('a b c;dur=2')).toEqual([{ name: 'a' }]);
    expect(parseServerTiming('\u0000\u00ff;dur=1, ok;dur=1')).toEqual([{ name: 'ok', dur: 1 }]);
  });

  it('gives nothing for a missing or empty header', () => {
    expect(parseServerTiming(null)).toEqual([]);
    expect(parseServerTiming(undefined)).toEqual([]);
    expect(parseServerTiming('')).toEqual([]);
  });

  it('finds which gateway answered', () => {
    expect(gatewayInstance(parseServerTiming(EXAMPLE))).toBe('3f2a9c1d0b7e');
    expect(gatewayInstance(parseServerTiming('nginx;dur=1'))).toBeUndefined();
  });
});

describe('arrangeTimings', () => {
  it('nests hop → parts, a part naming a hop holding that hop, whatever the header order', () => {
    const { tree, loose } = arrangeTimings(parseServerTiming(EXAMPLE));
    // nginx has no part naming the gateway: the gateway nests under its usual caller.
    expect(shape(tree)).toBe('nginx(gateway(gateway-ratelimit gateway-products(products(products-cache))))');
    expect(loose).toEqual([]);
  });

  it('keeps every call when a hop calls the same downstream twice, in header order', () => {
    const header =
      'orders;dur=20, orders-users;dur=3, users;dur=2, orders-products;desc="1 attempt";dur=6, products;dur=5, products-db;dur=4, ' +
      'orders-db;dur=2, orders-products;dur=3, products;dur=2, products-db;dur=1';
    const { tree } = arrangeTimings(parseServerTiming(header));
    expect(shape(tree)).toBe('orders(orders-users(users) orders-products(products(products-db)) orders-db orders-products(products(products-db)))');
    const secondCall = tree[0]?.children[3]?.children[0];
    expect(secondCall?.entry).toEqual({ name: 'products', dur: 2 });
  });

  it('lists entries outside the naming rule flat at the end, never dropping any', () => {
    const entries = parseServerTiming('total;dur=9, nginx;dur=5, -x, gateway-, app-db;dur=1, nginxx');
    const { tree, loose } = arrangeTimings(entries);
    expect(shape(tree)).toBe('nginx');
    expect(loose.map((e) => e.name)).toEqual(['total', '-x', 'gateway-', 'app-db', 'nginxx']);
  });

  it('puts the parts of a hop without a total where the hop would stand', () => {
    const { tree } = arrangeTimings(parseServerTiming('gateway-products;dur=4, products-cache;desc=miss, products-db;dur=1'));
    expect(shape(tree)).toBe('gateway-products(products-cache products-db)');
  });

  it('survives cycles and self-calls without repeating or losing entries', () => {
    const entries = parseServerTiming('users;dur=1, users-orders;dur=1, orders;dur=1, orders-users;dur=1, users-users;dur=1');
    const { tree } = arrangeTimings(entries);
    const names: string[] = [];
    const walk = (nodes: readonly TimingNode[]): void => nodes.forEach((n) => (names.push(n.entry.name), walk(n.children)));
    walk(tree);
    expect(names.sort()).toEqual(entries.map((e) => e.name).sort());
  });
});

describe('waterfallRows', () => {
  it('gives depth-first rows scaled to the browser total when it is larger', () => {
    const { rows, scaleMs } = waterfallRows(parseServerTiming(EXAMPLE), 12);
    expect(scaleMs).toBe(12);
    expect(rows.map((r) => [r.entry.name, r.depth])).toEqual([
      ['nginx', 0],
      ['gateway', 1],
      ['gateway-ratelimit', 2],
      ['gateway-products', 2],
      ['products', 3],
      ['products-cache', 4],
    ]);
    expect(rows[0]?.fraction).toBe(0.5);
  });

  it('scales to the outermost hop when the browser total is smaller, and marks loose rows', () => {
    const { rows, scaleMs } = waterfallRows(parseServerTiming('nginx;dur=8, gateway;dur=4, weird;desc=x'), 2);
    expect(scaleMs).toBe(8);
    expect(rows.map((r) => [r.entry.name, r.fraction, r.loose])).toEqual([
      ['nginx', 1, false],
      ['gateway', 0.5, false],
      ['weird', undefined, true],
    ]);
  });

  it('copes with no header and no time', () => {
    expect(waterfallRows([], 0)).toEqual({ rows: [], scaleMs: 0 });
    expect(waterfallRows(parseServerTiming('nginx;dur=0'), 0).rows[0]?.fraction).toBe(0);
  });
});
