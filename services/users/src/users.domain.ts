import { v7 as uuidv7 } from 'uuid';
import { AppError } from '@shopstack/errors';
import type { Page } from '@shopstack/db';
import type { JsonCache } from '@shopstack/redis';
import type { Caller } from '@shopstack/auth';
import type { CreateUserInput, UpdateMeInput } from '@shopstack/api-contract';
import type { LoginLimits } from './login-limits.js';
import type { LoginsRepository } from './logins.repository.js';
import { hashPassword, passwordMatches } from './passwords.js';
import type { User, UsersRepository } from './users.repository.js';

export interface UsersDomainDeps {
  repository: UsersRepository;
  logins: LoginsRepository;
  limits: LoginLimits;
  cache: JsonCache;
  cacheTtlSeconds: number;
}

export type UsersDomain = ReturnType<typeof createUsersDomain>;

const cacheKey = (id: string) => `users:user:${id}`;

/** Email addresses are stored trimmed and lower-cased, so lookups and uniqueness agree. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function createUsersDomain({ repository, logins, limits, cache, cacheTtlSeconds }: UsersDomainDeps) {
  async function changed(user: User | undefined): Promise<User> {
    if (!user) throw AppError.notFound('User');
    // Deleted after the write: a read racing it cannot store the old copy (see JsonCache).
    await cache.delete(cacheKey(user.id));
    return user;
  }

  return {
    /** Sign-up: always a customer. Time-ordered UUIDs (v7) keep new rows at the end of the index. */
    register: async (input: CreateUserInput): Promise<User> =>
      repository.insert({ id: uuidv7(), email: normalizeEmail(input.email), name: input.name, passwordHash: await hashPassword(input.password) }),

    /** A user, from the cache when it can; any change deletes the cached copy. */
    async get(id: string): Promise<{ user: User; cached: boolean }> {
      const { value, hit } = await cache.remember(cacheKey(id), cacheTtlSeconds, () => repository.findById(id));
      if (!value) throw AppError.notFound('User');
      return { user: value, cached: hit };
    },

    list: (page: Page) => repository.list(page),

    /**
     * A new name, a new password (the current one proven, with the login limits: a stolen
     * token must not make a free password oracle), or both; a new password ends every
     * other login.
     */
    async updateMe(caller: Caller, input: UpdateMeInput, address: string): Promise<User> {
      let passwordHash: string | undefined;
      if (input.password !== undefined) {
        await limits.attempt(`user:${caller.userId}`, address);
        const current = await repository.passwordHashOf(caller.userId);
        if (!current || !(await passwordMatches(current, input.currentPassword ?? ''))) {
          throw new AppError(403, 'invalid_credentials', 'The current password is not right');
        }
        await limits.succeeded(`user:${caller.userId}`, address);
        passwordHash = await hashPassword(input.password);
      }
      const user = await changed(await repository.update(caller.userId, { name: input.name, passwordHash }));
      if (passwordHash) await logins.revokeAllOf(caller.userId, caller.loginId);
      return user;
    },

    /**
     * At start, from ADMIN_EMAIL and ADMIN_PASSWORD: that account exists, has that password
     * and is the only admin. Its logins end when its password or role changes.
     */
    async ensureAdmin({ email, password }: { email: string; password: string }): Promise<User> {
      const found = await repository.findCredentials(normalizeEmail(email));
      const samePassword = found?.passwordHash ? await passwordMatches(found.passwordHash, password) : false;
      const { user, demoted } = await repository.makeSoleAdmin({
        id: found?.user.id ?? uuidv7(),
        email: normalizeEmail(email),
        passwordHash: samePassword ? found!.passwordHash! : await hashPassword(password),
        endItsLogins: found !== undefined && (!samePassword || found.user.role !== 'admin'),
      });
      for (const id of [user.id, ...demoted]) await cache.delete(cacheKey(id));
      return user;
    },
  };
}
