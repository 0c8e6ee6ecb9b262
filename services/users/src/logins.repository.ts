import type { Role } from '@shopstack/auth';
import { type Database } from '@shopstack/db';

export type LoginsRepository = ReturnType<typeof createLoginsRepository>;

/** What presenting a refresh token found: a live login to continue, a reuse, or nothing valid. */
export type RefreshOutcome = { outcome: 'rotated'; userId: string; role: Role; loginId: string } | { outcome: 'reused' | 'invalid' };

// A login's next refresh token: its hash, its login, and how long it lives.
const INSERT_TOKEN = "INSERT INTO refresh_tokens (token_hash, login_id, expires_at) VALUES ($1, $2, now() + $3 * interval '1 second')";

/** The SQL of logins and their refresh tokens (see the migration). Tokens arrive hashed. */
export function createLoginsRepository(db: Database) {
  return {
    async start(login: { id: string; userId: string; tokenHash: string; ttlSeconds: number }): Promise<void> {
      await db.transaction(async (client) => {
        await client.query('INSERT INTO logins (id, user_id) VALUES ($1, $2)', [login.id, login.userId]);
        await client.query(INSERT_TOKEN, [login.tokenHash, login.id, login.ttlSeconds]);
      });
    },

    /**
     * Uses a refresh token and stores its successor, in one transaction: FOR UPDATE takes the
     * token's row lock, so of two requests with the same token one rotates and the other
     * then sees it used. A used token, or one of a revoked login, revokes the whole login.
     */
    async rotate(tokenHash: string, next: { tokenHash: string; ttlSeconds: number }): Promise<RefreshOutcome> {
      return db.transaction(async (client) => {
        // One statement, one snapshot: the login's state and the user's role are read together,
        // so a role change that ends logins (see makeSoleAdmin) is seen whole or not at all.
        const { rows } = await client.query<{ login_id: string; user_id: string; role: Role; used: boolean; live: boolean }>(
          `SELECT t.login_id, l.user_id, u.role, t.used_at IS NOT NULL AS used, (l.revoked_at IS NULL AND t.expires_at > now()) AS live
             FROM refresh_tokens t JOIN logins l ON l.id = t.login_id JOIN users u ON u.id = l.user_id
            WHERE t.token_hash = $1
              FOR UPDATE OF t`,
          [tokenHash],
        );
        const found = rows[0];
        if (!found) return { outcome: 'invalid' };
        if (found.used) {
          await client.query('UPDATE logins SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1', [found.login_id]);
          return { outcome: 'reused' };
        }
        if (!found.live) return { outcome: 'invalid' };
        await client.query('UPDATE refresh_tokens SET used_at = now() WHERE token_hash = $1', [tokenHash]);
        await client.query(INSERT_TOKEN, [next.tokenHash, found.login_id, next.ttlSeconds]);
        return { outcome: 'rotated', userId: found.user_id, role: found.role, loginId: found.login_id };
      });
    },

    /** Logout: the login whose token this is ends, whatever state the token is in. */
    async revokeByToken(tokenHash: string): Promise<void> {
      await db.query(
        'UPDATE logins SET revoked_at = coalesce(revoked_at, now()) WHERE id = (SELECT login_id FROM refresh_tokens WHERE token_hash = $1)',
        [tokenHash],
      );
    },

    /** A new password: every login of the user ends, but `keep` (the one that changed it). */
    async revokeAllOf(userId: string, keep?: string): Promise<void> {
      await db.query('UPDATE logins SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL AND id IS DISTINCT FROM $2', [
        userId,
        keep ?? null,
      ]);
    },

  };
}
