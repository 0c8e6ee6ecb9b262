import type { SigningKey } from '@shopstack/auth';
import type { Database } from '@shopstack/db';
import type { JWK } from 'jose';

interface KeyRow {
  kid: string;
  private_jwk: JWK;
  public_jwk: JWK;
}

const toKey = (row: KeyRow): SigningKey => ({ kid: row.kid, privateJwk: row.private_jwk, publicJwk: row.public_jwk });

// Replicas starting together must not each make a key: they take turns on this lock.
const KEYS_LOCK = 'hashtext(\'signing_keys\')';

/** The key that signs: the newest one not retired. */
const CURRENT_KEY = 'SELECT kid, private_jwk, public_jwk FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1';

/** The SQL of a service's signing_keys table (the same in each service's migrations that keeps one). */
export function createSigningKeysRepository(db: Database) {
  return {
    async current(): Promise<SigningKey | undefined> {
      const { rows } = await db.query<KeyRow>(CURRENT_KEY);
      return rows[0] && toKey(rows[0]);
    },

    /** Public keys of every token that may still be alive: unretired, or retired less than `graceSeconds` ago. */
    async published(graceSeconds: number): Promise<SigningKey['publicJwk'][]> {
      const { rows } = await db.query<{ public_jwk: JWK }>(
        `SELECT public_jwk FROM signing_keys WHERE retired_at IS NULL OR retired_at > now() - $1 * interval '1 second' ORDER BY created_at DESC`,
        [graceSeconds],
      );
      return rows.map((row) => row.public_jwk);
    },

    /**
     * Makes `make()`'s key the one that signs, unless `keep(current)` says the current one
     * will do; the keys it replaces are retired now (still published for their tokens' life).
     */
    async replaceUnless(keep: (current: SigningKey | undefined) => boolean, make: () => Promise<SigningKey>): Promise<SigningKey> {
      return db.transaction(async (client) => {
        await client.query(`SELECT pg_advisory_xact_lock(${KEYS_LOCK})`);
        const { rows } = await client.query<KeyRow>(CURRENT_KEY);
        const current = rows[0] && toKey(rows[0]);
        if (current && keep(current)) return current;
        const key = await make();
        await client.query('UPDATE signing_keys SET retired_at = now() WHERE retired_at IS NULL AND kid <> $1', [key.kid]);
        await client.query(
          `INSERT INTO signing_keys (kid, private_jwk, public_jwk) VALUES ($1, $2, $3)
           ON CONFLICT (kid) DO UPDATE SET retired_at = NULL, created_at = clock_timestamp()`,
          [key.kid, key.privateJwk, key.publicJwk],
        );
        return key;
      });
    },
  };
}
