import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Express } from 'express';
import { v7 as uuidv7 } from 'uuid';
import { openApiDocument } from '@shopstack/api-contract';
import {
  createServiceTokenVerifier,
  createTokenVerifier,
  generateSigningKey,
  localKeys,
  serviceTokenSource,
  signAccessToken,
  type Role,
  type SigningKey,
} from '@shopstack/auth';
import { createMetrics } from '@shopstack/metrics';
import { captureLogger, cleanUp, createContract, freshDataStores, type DataStores, type StartedPostgres, type StartedRedis, startPostgres, startRedis } from '@shopstack/testing';
import { createApp, migrations } from '../src/index.js';

/**
 * For a test file: the products app on its own Postgres and Redis, verifying tokens against
 * keys made here, one as users' and one as orders' (products only reads their JWKS; who
 * signs is not its concern), and every
 * answer checked against the API document (see createContract).
 */
export function useProductsApp(database: string) {
  const contract = createContract(openApiDocument(), { prefix: '/api', ignore: /^\/(health|ready|reservations\/.*)$/ });
  afterEach(() => {
    expect(contract.takeViolations()).toEqual([]);
  });

  const { logger } = captureLogger('products');
  const metrics = createMetrics('products');
  let postgres: StartedPostgres | undefined;
  let redis: StartedRedis | undefined;
  let stores: DataStores | undefined;
  let app: Express | undefined;
  let key: SigningKey;
  let ordersKey: SigningKey;

  beforeAll(async () => {
    [key, ordersKey] = await Promise.all([generateSigningKey(), generateSigningKey()]);
    [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
    stores = await freshDataStores({ postgres, redis, database, migrations, logger });
    const verifyToken = createTokenVerifier(localKeys({ keys: [key.publicJwk] }));
    const verifyOrdersToken = createServiceTokenVerifier(localKeys({ keys: [ordersKey.publicJwk] }), { from: 'orders', to: 'products' });
    app = createApp({ db: stores.db, redis: stores.redis, logger, metrics, cacheTtlSeconds: 60, verifyToken, verifyOrdersToken });
  });

  afterAll(() =>
    cleanUp({
      stores: async () => stores?.close(),
      containers: () => Promise.all([postgres?.stop(), redis?.stop()]),
    }),
  );

  /** The Authorization header of a new user with this role, signed as the users service signs. */
  async function signedIn(role: Role): Promise<{ authorization: string }> {
    const { accessToken } = await signAccessToken(key, { userId: uuidv7(), role });
    return { authorization: `Bearer ${accessToken}` };
  }

  /** The Authorization header orders sends with a reservation: its service token, signed with its key. */
  async function asOrders(): Promise<{ authorization: string }> {
    return { authorization: await serviceTokenSource(async () => ordersKey, { from: 'orders', to: 'products' })() };
  }

  return {
    request: contract.request,
    signedIn,
    asOrders,
    /** The keys products trusts, users' and orders', for a test to sign what neither would. */
    get keys(): { users: SigningKey; orders: SigningKey } {
      return { users: key, orders: ordersKey };
    },
    /** The app's metrics, as its /metrics would serve them. */
    metrics,
    get app(): Express {
      if (!app) throw new Error('the products app is not started yet');
      return app;
    },
  };
}
