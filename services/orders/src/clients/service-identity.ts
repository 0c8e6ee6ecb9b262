import { SERVICE_TOKEN_TTL_SECONDS, serviceTokenSource, type ServiceTokenSource } from '@shopstack/auth';
import type { Database } from '@shopstack/db';
import { createSigningKeys, type SigningKeys } from '@shopstack/key-store';

/**
 * Orders' own keys, in its database (signing_keys): made on first start, the same for every
 * replica. In the database rather than a key file, as users' are: nothing to generate, mount
 * or hand around, and orders-db is on no network but orders'. Their public halves are on
 * /internal/jwks.json for products, which trusts nothing else on its reservation routes.
 * See README, "Service identity".
 */
export function ordersKeys(db: Database): SigningKeys {
  return createSigningKeys(db, { tokenTtlSeconds: SERVICE_TOKEN_TTL_SECONDS });
}

/** The Authorization header orders sends products: its service token, `iss`/`sub` orders, `aud` products. */
export function productsToken(keys: SigningKeys): ServiceTokenSource {
  return serviceTokenSource(keys.current, { from: 'orders', to: 'products' });
}
