import { AppError } from '@shopstack/errors';
import type { ServiceClient } from '@shopstack/http-client';
import type { RequestContext } from '@shopstack/service-kit';

export type UsersClient = ReturnType<typeof createUsersClient>;

export function createUsersClient(http: ServiceClient) {
  return {
    /**
     * With the caller's own `Authorization`: users answers a user to that user or an admin,
     * so orders asks as the caller, holding no credentials of its own that could read anyone.
     */
    async assertExists(userId: string, authorization: string, { requestId, log }: RequestContext): Promise<void> {
      const res = await http.request({ method: 'GET', path: `/users/${userId}`, headers: { authorization }, requestId }, { log });
      if (res.status === 404) throw AppError.unprocessable('unknown_user', 'The user does not exist');
      if (res.status !== 200) throw new AppError(502, 'bad_gateway', `users answered ${res.status}`);
    },
  };
}
