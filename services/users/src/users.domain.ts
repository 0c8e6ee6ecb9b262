import { v7 as uuidv7 } from 'uuid';
import { AppError } from '@shopstack/errors';
import type { Page } from '@shopstack/db';
import type { JsonCache } from '@shopstack/redis';
import type { CreateUserInput } from '@shopstack/api-contract';
import type { User, UsersRepository } from './users.repository.js';

export interface UsersDomainDeps {
  repository: UsersRepository;
  cache: JsonCache;
  cacheTtlSeconds: number;
}

export type UsersDomain = ReturnType<typeof createUsersDomain>;

const cacheKey = (id: string) => `users:user:${id}`;

/** Email addresses are stored trimmed and lower-cased, so lookups and uniqueness agree. */
function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function createUsersDomain({ repository, cache, cacheTtlSeconds }: UsersDomainDeps) {
  return {
    // Time-ordered UUIDs (v7) keep new rows at the end of the primary key index.
    register: (input: CreateUserInput): Promise<User> =>
      repository.insert({ id: uuidv7(), email: normalizeEmail(input.email), name: input.name }),

    /** Users never change once created, so a cached copy is never stale. */
    async get(id: string): Promise<{ user: User; cached: boolean }> {
      const { value, hit } = await cache.remember(cacheKey(id), cacheTtlSeconds, () => repository.findById(id));
      if (!value) throw AppError.notFound('User');
      return { user: value, cached: hit };
    },

    list: (page: Page) => repository.list(page),
  };
}
