import { ACCESS_TOKEN_TTL_SECONDS, generateSigningKey, localKeys, signingKeyFromPem, type KeyLookup, type SigningKey } from '@shopstack/auth';
import { errors } from 'jose';
import type { SigningKeysRepository } from './signing-keys.repository.js';

// A retired key stays published this long: the last token it signed lives 15 minutes, and
// clocks may differ a little.
const RETIRED_KEY_GRACE_SECONDS = ACCESS_TOKEN_TTL_SECONDS + 60;
// How long this replica keeps the public keys it read for verifying: a key it has not seen
// (another replica's new one) makes it read them again at once.
const PUBLISHED_KEYS_TTL_MS = 30_000;

export type SigningKeys = ReturnType<typeof createSigningKeys>;

/**
 * The users service's keys: the one that signs, the public ones it publishes (JWKS), and a
 * lookup that verifies its own tokens without a call to itself.
 */
export function createSigningKeys(repository: SigningKeysRepository) {
  let published: { lookup: KeyLookup; readAt: number } | undefined;
  let reading: Promise<void> | undefined;
  // Concurrent callers share one read.
  const readPublished = () =>
    (reading ??= publicKeys()
      .then((jwks) => void (published = { lookup: localKeys(jwks), readAt: Date.now() }))
      .finally(() => (reading = undefined)));

  /** Read at every login and refresh (one small query beside a password hash), so a rotation shows at once in every replica. */
  async function current(): Promise<SigningKey> {
    return (await repository.current()) ?? (await repository.replaceUnless((found) => found !== undefined, generateSigningKey));
  }

  async function publicKeys(): Promise<{ keys: SigningKey['publicJwk'][] }> {
    return { keys: await repository.published(RETIRED_KEY_GRACE_SECONDS) };
  }

  return {
    current,
    publicKeys,

    /**
     * At start: the key from SIGNING_KEY when one is given (made current if it is not),
     * otherwise the stored one, or a new one on the first start.
     */
    async ensure(pem: string | undefined): Promise<SigningKey> {
      const given = pem === undefined ? undefined : await signingKeyFromPem(pem);
      const key = await repository.replaceUnless(
        (found) => (given ? found?.kid === given.kid : found !== undefined),
        async () => given ?? generateSigningKey(),
      );
      return key;
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
