import { generateSigningKey, localKeys, signingKeyFromPem, type KeyLookup, type SigningKey } from '@shopstack/auth';
import type { Database } from '@shopstack/db';
import { errors } from 'jose';
import { createSigningKeysRepository } from './signing-keys.repository.js';

// How long this replica keeps the public keys it read for verifying: a key it has not seen
// (another replica's new one) makes it read them again at once.
const PUBLISHED_KEYS_TTL_MS = 30_000;

export type SigningKeys = ReturnType<typeof createSigningKeys>;

export interface SigningKeysSettings {
  /** How long a token signed here lives: a retired key stays published that long, plus a minute for clocks that differ. */
  tokenTtlSeconds: number;
}

/**
 * A service's own signing keys, in its signing_keys table: the one that signs (made on
 * first use, the same for every replica), the public ones it publishes (JWKS), and a lookup
 * that verifies its own tokens without a call to itself. Users signs access tokens with it,
 * orders its service token (see README, "Service identity").
 */
export function createSigningKeys(db: Database, { tokenTtlSeconds }: SigningKeysSettings) {
  const repository = createSigningKeysRepository(db);
  const retiredKeyGraceSeconds = tokenTtlSeconds + 60;
  let published: { lookup: KeyLookup; readAt: number } | undefined;
  let reading: Promise<void> | undefined;
  // Concurrent callers share one read.
  const readPublished = () =>
    (reading ??= publicKeys()
      .then((jwks) => void (published = { lookup: localKeys(jwks), readAt: Date.now() }))
      .finally(() => (reading = undefined)));

  /** One small query: callers read it when they sign, so a rotation shows at once in every replica. */
  async function current(): Promise<SigningKey> {
    return (await repository.current()) ?? (await repository.replaceUnless((found) => found !== undefined, generateSigningKey));
  }

  async function publicKeys(): Promise<{ keys: SigningKey['publicJwk'][] }> {
    return { keys: await repository.published(retiredKeyGraceSeconds) };
  }

  return {
    current,
    publicKeys,

    /**
     * At start: the key from `pem` when one is given (made current if it is not),
     * otherwise the stored one, or a new one on the first start.
     */
    async ensure(pem?: string): Promise<SigningKey> {
      const given = pem === undefined ? undefined : await signingKeyFromPem(pem);
      return repository.replaceUnless(
        (found) => (given ? found?.kid === given.kid : found !== undefined),
        async () => given ?? generateSigningKey(),
      );
    },

    /** A new key signs from now on; tokens signed by the old one stay valid until they expire. */
    async rotate(): Promise<SigningKey> {
      const key = await repository.replaceUnless(() => false, generateSigningKey);
      published = undefined;
      return key;
    },

    /** For verifying tokens here, as the other services do from the JWKS, without calling itself. */
    lookup: (async (header, token) => {
      const age = published ? Date.now() - published.readAt : Infinity;
      if (age > PUBLISHED_KEYS_TTL_MS) await readPublished();
      try {
        return await published!.lookup(header, token);
      } catch (error) {
        // A key made by another replica a moment ago: read again, at most once a second.
        if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
        const sinceRead = Date.now() - published!.readAt;
        if (sinceRead < 1000) await new Promise((resolve) => setTimeout(resolve, 1000 - sinceRead));
        await readPublished();
        return published!.lookup(header, token);
      }
    }) satisfies KeyLookup,
  };
}
