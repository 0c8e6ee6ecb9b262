import { describe, expect, it } from 'vitest';
import type { Database } from '@shopstack/db';
import { createMetrics } from '@shopstack/metrics';
import { metricValue } from '@shopstack/testing';
import { measurePendingReservations } from './pending-metrics.js';

describe('measurePendingReservations', () => {
  it('reads both figures in one query per scrape, and keeps the last ones while the database does not answer', async () => {
    let queries = 0;
    let answer: () => Promise<unknown> = async () => ({ rows: [{ count: 3, oldestAgeSeconds: 12.5 }] });
    const db = { query: () => (queries++, answer()) } as unknown as Database;
    const metrics = createMetrics('orders');
    measurePendingReservations(db, metrics);
    const text = await metrics.registry.metrics();
    expect(queries).toBe(1);
    expect(text).toContain('pending_reservations{service="orders"} 3');
    expect(text).toContain('pending_reservation_oldest_age_seconds{service="orders"} 12.5');
    answer = () => Promise.reject(new Error('the database is away'));
    expect(await metricValue(metrics, 'pending_reservations')).toBe(3);
    expect(await metricValue(metrics, 'pending_reservation_oldest_age_seconds')).toBe(12.5);
  });
});
