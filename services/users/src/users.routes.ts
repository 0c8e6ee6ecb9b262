import { z } from 'zod';
import { AppError } from '@shopstack/errors';
import { requireAdmin, requireCaller } from '@shopstack/auth';
import type { Routes } from '@shopstack/service-kit';
import type { UsersDomain } from './users.domain.js';
import { EmailTaken } from './users.errors.js';
import { createUserBody, idSchema, paginationQuery, updateMeBody } from '@shopstack/api-contract';

const idParams = z.object({ id: idSchema });

export function usersRoutes(users: UsersDomain): Routes {
  return {
    '/': {
      // Anyone may sign up, and always as a customer.
      post: async (req, res) => {
        const user = await users.register(createUserBody.parse(req.body)).catch((error: unknown) => {
          throw error instanceof EmailTaken ? AppError.conflict('email_taken', error.message) : error;
        });
        res.status(201).location(`/users/${user.id}`).json(user);
      },
      get: async (req, res) => {
        requireAdmin(req);
        const page = paginationQuery.parse(req.query);
        res.json({ ...(await users.list(page)), ...page });
      },
    },
    '/me': {
      get: async (req, res) => {
        const { user } = await users.get(requireCaller(req).userId);
        res.json(user);
      },
      patch: async (req, res) => {
        const caller = requireCaller(req);
        res.json(await users.updateMe(caller, updateMeBody.parse(req.body), req.ip ?? 'unknown'));
      },
    },
    '/:id': {
      // An admin reads anyone; a customer only themself, and another id is "not found", never
      // "forbidden", which would confirm that the user exists.
      get: async (req, res) => {
        const caller = requireCaller(req);
        const { id } = idParams.parse(req.params);
        if (caller.role !== 'admin' && caller.userId !== id) throw AppError.notFound('User');
        const { user, cached } = await users.get(id);
        res.set('X-Cache', cached ? 'hit' : 'miss').json(user);
      },
    },
  };
}
