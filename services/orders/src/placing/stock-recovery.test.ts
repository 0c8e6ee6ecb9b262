import { describe, expect, it } from 'vitest';
import type { Database } from '@shopstack/db';
import type { ServiceClient } from '@shopstack/http-client';
import { createMetrics } from '@shopstack/metrics';
import { captureLogger } from '@shopstack/testing';
import { createStockRecovery } from './stock-recovery.js';

describe('createStockRecovery', () => {
  it('resolves a pass that failed, and logs it: the timer that runs it must not see a rejection', async () => {
    const { logger, lines } = captureLogger('orders');
    const db = { query: () => Promise.reject(new Error('the database is away')) } as unknown as Database;
    const recoverStock = createStockRecovery({ db, products: {} as ServiceClient, logger, metrics: createMetrics('orders') }, { abandonedAfterMs: 1000, batchSize: 50 });
    await expect(recoverStock()).resolves.toBe(0);
    expect(lines().some((line) => line.msg === 'stock recovery pass failed; will retry')).toBe(true);
  });
});
