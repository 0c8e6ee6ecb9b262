import type { Express } from 'express';
import { ACCESS_TOKEN_TTL_SECONDS, authenticate, createTokenVerifier } from '@shopstack/auth';
import { createSigningKeys } from '@shopstack/key-store';
import type { Metrics } from '@shopstack/metrics';
import { createJsonCache, measureRedis } from '@shopstack/redis';
import { createServiceApp, dataStoreChecks, jsonBody, mountRoutes, type DataServiceDeps } from '@shopstack/service-kit';
import { authRoutes } from './auth.routes.js';
import { createLoginLimits } from './login-limits.js';
import { createLoginsRepository } from './logins.repository.js';
import { createSessions } from './sessions.domain.js';
import { createUsersDomain } from './users.domain.js';
import { createUsersRepository } from './users.repository.js';
import { usersRoutes } from './users.routes.js';

export interface AppDeps extends DataServiceDeps {
  cacheTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  cookieSecure: boolean;
  /** Proxies in front whose X-Forwarded-For entry is believed (the gateway: 1). */
  trustProxyHops: number;
}

// Start-up's steps are not measured: the metrics are the app's.
type StoreDeps = Pick<AppDeps, 'db' | 'redis' | 'logger' | 'cacheTtlSeconds'> & { metrics?: Metrics };

/** The service's parts, from its stores: one way to build them, for the app and for start-up. */
function accountsFrom({ db, redis, logger, metrics, cacheTtlSeconds }: StoreDeps) {
  const repository = createUsersRepository(db);
  const logins = createLoginsRepository(db);
  const limits = createLoginLimits(redis, logger);
  const keys = createSigningKeys(db, { tokenTtlSeconds: ACCESS_TOKEN_TTL_SECONDS });
  const users = createUsersDomain({ repository, logins, limits, cache: createJsonCache(redis, logger, { metrics: metrics && { metrics, name: 'users' } }), cacheTtlSeconds });
  return { repository, logins, limits, keys, users };
}

/**
 * What must hold before the first request: a signing key (SIGNING_KEY's, the stored one, or a
 * new one) and, when ADMIN_EMAIL and ADMIN_PASSWORD are set, that admin as the only one.
 */
export async function prepareAccounts(
  deps: StoreDeps,
  { signingKeyPem, admin }: { signingKeyPem?: string | undefined; admin?: { email: string; password: string } | undefined },
): Promise<void> {
  const { keys, users } = accountsFrom(deps);
  const { kid } = await keys.ensure(signingKeyPem);
  deps.logger.info({ kid, from: signingKeyPem ? 'SIGNING_KEY' : 'database' }, 'signing access tokens');
  if (!admin) return;
  const { id } = await users.ensureAdmin(admin);
  deps.logger.info({ userId: id }, 'admin account ready (ADMIN_EMAIL)');
}

/** A new key signs from now on (see rotate-signing-key.ts). */
export async function rotateSigningKey(db: AppDeps['db']): Promise<{ kid: string }> {
  const { kid } = await createSigningKeys(db, { tokenTtlSeconds: ACCESS_TOKEN_TTL_SECONDS }).rotate();
  return { kid };
}

export function createApp(deps: AppDeps): Express {
  const { repository, logins, limits, keys, users } = accountsFrom(deps);
  const sessions = createSessions({ users: repository, logins, keys, limits, refreshTokenTtlSeconds: deps.refreshTokenTtlSeconds, metrics: deps.metrics });
  measureRedis(deps.redis, deps.metrics);
  return createServiceApp({
    service: 'users',
    logger: deps.logger,
    metrics: deps.metrics,
    trustProxyHops: deps.trustProxyHops,
    readiness: dataStoreChecks(deps),
    routes: (app) => {
      // Its own tokens are verified with its own keys, as the other services do from the JWKS.
      // Not on /auth: a stale token sent along with a login must not stand in its way.
      mountRoutes(app, '/users', [authenticate(createTokenVerifier(keys.lookup)), jsonBody('100kb')], usersRoutes(users));
      mountRoutes(app, '/auth', [jsonBody('10kb')], authRoutes(sessions, keys, { ttlSeconds: deps.refreshTokenTtlSeconds, secure: deps.cookieSecure }));
    },
  });
}
