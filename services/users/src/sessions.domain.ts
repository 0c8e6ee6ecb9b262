import { createHash, randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '@shopstack/errors';
import { signAccessToken, type Caller } from '@shopstack/auth';
import type { LoginInput } from '@shopstack/api-contract';
import type { SigningKeys } from '@shopstack/key-store';
import type { Metrics } from '@shopstack/metrics';
import type { LoginLimits } from './login-limits.js';
import type { LoginsRepository } from './logins.repository.js';
import { passwordMatches, spendPasswordCheck } from './passwords.js';
import type { UsersRepository } from './users.repository.js';
import { normalizeEmail } from './users.domain.js';

export interface SessionsDeps {
  users: UsersRepository;
  logins: LoginsRepository;
  keys: SigningKeys;
  limits: LoginLimits;
  refreshTokenTtlSeconds: number;
  metrics: Metrics;
}

/** What a login or a refresh gives: the access token for the body, the refresh token for the cookie. */
export interface Session {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
}

// One message for both a wrong password and an unknown email: a login tells nobody which.
const invalidCredentials = () => new AppError(401, 'invalid_credentials', 'The email or the password is not right');
const invalidRefreshToken = () => new AppError(401, 'invalid_refresh_token', 'Sign in again: this session has ended');

/** Refresh tokens are 256 random bits; only their SHA-256 is stored. */
const newRefreshToken = () => randomBytes(32).toString('base64url');
const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

export type Sessions = ReturnType<typeof createSessions>;

export function createSessions({ users, logins, keys, limits, refreshTokenTtlSeconds, metrics }: SessionsDeps) {
  const loginsTotal = metrics.counter({ name: 'logins_total', help: 'Logins, by outcome: succeeded, failed (wrong credentials), limited (too many failures)', labelNames: ['outcome'] });
  const limited = metrics.counter({ name: 'rate_limited_requests_total', help: 'Requests refused with a 429 by a rate limiter', labelNames: ['limiter'] }).labels('login');
  const reuses = metrics.counter({ name: 'refresh_token_reuse_total', help: 'Refresh tokens presented again after use: each ends its whole login' });

  async function issue(caller: Caller, refreshToken: string): Promise<Session> {
    return { ...(await signAccessToken(await keys.current(), caller)), refreshToken };
  }

  return {
    async login({ email, password }: LoginInput, address: string): Promise<Session> {
      await limits.attempt(email, address).catch((error: unknown) => {
        loginsTotal.inc({ outcome: 'limited' });
        limited.inc();
        throw error;
      });
      const found = await users.findCredentials(normalizeEmail(email));
      const matches = found?.passwordHash ? await passwordMatches(found.passwordHash, password) : (await spendPasswordCheck(password), false);
      if (!found || !matches) {
        loginsTotal.inc({ outcome: 'failed' });
        throw invalidCredentials();
      }
      await limits.succeeded(email, address);
      const refreshToken = newRefreshToken();
      const loginId = uuidv7();
      await logins.start({ id: loginId, userId: found.user.id, tokenHash: hashOf(refreshToken), ttlSeconds: refreshTokenTtlSeconds });
      loginsTotal.inc({ outcome: 'succeeded' });
      return issue({ userId: found.user.id, role: found.user.role, loginId }, refreshToken);
    },

    /** Rotation: the token presented is used up and a new one given; a used one ends the whole login. */
    async refresh(refreshToken: string | undefined): Promise<Session> {
      if (!refreshToken) throw invalidRefreshToken();
      const next = newRefreshToken();
      const rotated = await logins.rotate(hashOf(refreshToken), { tokenHash: hashOf(next), ttlSeconds: refreshTokenTtlSeconds });
      if (rotated.outcome === 'reused') reuses.inc();
      if (rotated.outcome !== 'rotated') throw invalidRefreshToken();
      // The role as it is now, read with the login: a promotion or demotion shows at the next refresh.
      return issue({ userId: rotated.userId, role: rotated.role, loginId: rotated.loginId }, next);
    },

    async logout(refreshToken: string | undefined): Promise<void> {
      if (refreshToken) await logins.revokeByToken(hashOf(refreshToken));
    },
  };
}
