import { Router } from 'express';
import { z } from 'zod';
import { idSchema, paginationQuery } from '@shopstack/service-kit';
import type { UsersDomain } from './users.domain.js';
import { createUserBody } from './users.schemas.js';

const idParams = z.object({ id: idSchema });

export function usersRouter(users: UsersDomain): Router {
  const router = Router();

  router.post('/', async (req, res) => {
    const user = await users.register(createUserBody.parse(req.body));
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
