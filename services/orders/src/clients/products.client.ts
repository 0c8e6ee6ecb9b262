import type { ReservedLine } from '@shopstack/api-contract';
import type { ServiceTokenSource } from '@shopstack/auth';
import { AppError, type Problem } from '@shopstack/errors';
import { mayHaveReached, type ServiceClient } from '@shopstack/http-client';
import type { RequestContext } from '@shopstack/service-kit';

interface ErrorBody {
  error?: { code?: string; message?: string; details?: Problem[] };
}

export type ProductsClient = ReturnType<typeof createProductsClient>;

/**
 * Products' reservation routes, which answer orders alone: every call carries orders'
 * service token (`token`, see service-identity.ts), never a user's.
 */
export function createProductsClient(http: ServiceClient, token: ServiceTokenSource) {
  return {
    /** PUT with our id: the client may retry it safely, products replays instead of decrementing twice. */
    async reserve(id: string, items: ReadonlyArray<{ productId: string; quantity: number }>, ctx: RequestContext): Promise<ReservedLine[]> {
      const res = await http.request<{ items: ReservedLine[] } & ErrorBody>(
        { method: 'PUT', path: `/reservations/${id}`, headers: { authorization: await token() }, body: { items }, requestId: ctx.requestId },
        { log: ctx.log },
      );
      if (res.status === 200 || res.status === 201) return res.data.items;
      // Stock and catalogue refusals are the client's business: pass them on as they are.
      const error = res.data.error;
      if ((res.status === 409 || res.status === 422) && error?.code) {
        throw new AppError(res.status, error.code, error.message ?? 'Reservation refused', { details: error.details });
      }
      throw new AppError(502, 'bad_gateway', `products answered ${res.status} to a reservation`);
    },

    /**
     * Whether a reservation that failed with `error` may have taken stock anyway, which must
     * then be given back: a refusal took nothing, and neither did a call that never reached
     * products; a timeout or a failure on products' side may have.
     */
    mayHaveReserved(error: unknown): boolean {
      if (error instanceof AppError && error.status < 500) return false;
      return mayHaveReached(error);
    },

    async release(id: string, ctx: RequestContext): Promise<void> {
      const res = await http.request(
        { method: 'DELETE', path: `/reservations/${id}`, headers: { authorization: await token() }, requestId: ctx.requestId },
        { log: ctx.log },
      );
      if (res.status !== 204) throw new AppError(502, 'bad_gateway', `products answered ${res.status} to a release`);
    },
  };
}
