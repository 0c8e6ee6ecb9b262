import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '@shopstack/errors';
import type { UsersDomain } from './users.domain.js';
import { EmailTaken } from './users.errors.js';
import { createUserBody, idSchema, paginationQuery } from '@shopstack/api-contract';

const idParams = z.object({ id: idSchema });

export function usersRouter(users: UsersDomain): Router {
  const router = Router();

  router.post('/', async (req, res) => {
    const user = await users.register(createUserBody.parse(req.body)).catch((error: unknown) => {
      throw error instanceof EmailTaken ? AppError.conflict('email_taken', error.message) : error;
    });
    res.status(201).location(`/users/${user.id}`).json(user);
  });

  router.get('/', async (req, res) => {
    const page = paginationQuery.parse(req.query);
    res.json({ ...(await users.list(page)), ...page });
  });

  router.get('/:id', async (req, res) => {
    const { id } = idParams.parse(req.params);
    const { user, cached } = await users.get(id);
    res.set('X-Cache', cached ? 'hit' : 'miss').json(user);
  });

  return router;
}
