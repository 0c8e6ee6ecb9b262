// Pure formatting helpers (no DOM), shared by the panels and unit-tested.

const euros = new Intl.NumberFormat('en-IE', { style: 'currency', currency: 'EUR' });

/** The API counts money in integer cents; people read euros with two decimals. */
export function formatEuros(cents: number): string {
  return euros.format(cents / 100);
}

/**
 * "12.50", "12,5", "12" or "€ 12.50" to 1250 cents; undefined when it is not a plain
 * non-negative amount with at most two decimals. Done on the digits, never with floats.
 */
export function parseEuros(text: string): number | undefined {
  const match = /^\s*€?\s*(\d{1,9})(?:[.,](\d{1,2}))?\s*$/.exec(text);
  if (!match) return undefined;
  const whole = Number(match[1]);
  const fraction = Number((match[2] ?? '').padEnd(2, '0'));
  return whole * 100 + fraction;
}

/** The first block of a UUID: enough to tell orders apart on screen. */
export function shortId(id: string): string {
  return id.length > 8 ? id.slice(0, 8) : id;
}

export function formatMs(ms: number): string {
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  return `${Math.round(ms)} ms`;
}

export function formatAgo(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  return seconds < 60 ? `${seconds.toFixed(1)} s ago` : `${Math.floor(seconds / 60)} min ago`;
}

export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });
}
