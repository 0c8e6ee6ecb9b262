import { isUniqueViolation, type Page, type Database } from '@shopstack/db';
import type { Role } from '@shopstack/auth';
import { EmailTaken } from './users.errors.js';

/** A user as the API shows it: never its password hash. */
export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
}

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  created_at: Date;
}

const COLUMNS = 'id, email, name, role, created_at';
const toUser = (row: UserRow): User => ({ id: row.id, email: row.email, name: row.name, role: row.role, createdAt: row.created_at.toISOString() });

export type UsersRepository = ReturnType<typeof createUsersRepository>;

export function createUsersRepository(db: Database) {
  return {
    async insert(user: { id: string; email: string; name: string; passwordHash: string; role?: Role }): Promise<User> {
      try {
        const { rows } = await db.query<UserRow>(
          `INSERT INTO users (id, email, name, password_hash, role) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
          [user.id, user.email, user.name, user.passwordHash, user.role ?? 'customer'],
        );
        return toUser(rows[0]!);
      } catch (error) {
        if (isUniqueViolation(error, 'users_email_key')) {
          throw new EmailTaken();
        }
        throw error;
      }
    },

    async findById(id: string): Promise<User | undefined> {
      const { rows } = await db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
      return rows[0] && toUser(rows[0]);
    },

    /** The user and its password hash, for a login; the one read that returns the hash. */
    async findCredentials(email: string): Promise<{ user: User; passwordHash: string | null } | undefined> {
      const { rows } = await db.query<UserRow & { password_hash: string | null }>(
        `SELECT ${COLUMNS}, password_hash FROM users WHERE lower(email) = lower($1)`,
        [email],
      );
      return rows[0] && { user: toUser(rows[0]), passwordHash: rows[0].password_hash };
    },

    async passwordHashOf(id: string): Promise<string | null | undefined> {
      const { rows } = await db.query<{ password_hash: string | null }>('SELECT password_hash FROM users WHERE id = $1', [id]);
      return rows[0]?.password_hash;
    },

    async update(id: string, changes: { name?: string; passwordHash?: string; role?: Role }): Promise<User | undefined> {
      const { rows } = await db.query<UserRow>(
        `UPDATE users SET name = coalesce($2, name), password_hash = coalesce($3, password_hash), role = coalesce($4, role)
          WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, changes.name ?? null, changes.passwordHash ?? null, changes.role ?? null],
      );
      return rows[0] && toUser(rows[0]);
    },

    /**
     * ADMIN_EMAIL's account, made or promoted, with this password hash, as the only admin:
     * any other admin (the demo one, after .env named another) becomes a customer. In one
     * transaction with the logins it ends, those of the demoted and, when `endItsLogins`, the
     * admin's own: a refresh sees the new roles and the ended logins together (see rotate).
     */
    async makeSoleAdmin(admin: { id: string; email: string; passwordHash: string; endItsLogins: boolean }): Promise<{ user: User; demoted: string[] }> {
      return db.transaction(async (client) => {
        const { rows } = await client.query<UserRow>(
          `INSERT INTO users (id, email, name, password_hash, role) VALUES ($1, $2, 'Admin', $3, 'admin')
           ON CONFLICT ((lower(email))) DO UPDATE SET role = 'admin', password_hash = EXCLUDED.password_hash
           RETURNING ${COLUMNS}`,
          [admin.id, admin.email, admin.passwordHash],
        );
        const user = toUser(rows[0]!);
        const demoted = await client.query<{ id: string }>("UPDATE users SET role = 'customer' WHERE role = 'admin' AND id <> $1 RETURNING id", [user.id]);
        const ids = demoted.rows.map((row) => row.id);
        await client.query('UPDATE logins SET revoked_at = now() WHERE revoked_at IS NULL AND (user_id = ANY($1::uuid[]) OR (user_id = $2 AND $3))', [
          ids,
          user.id,
          admin.endItsLogins,
        ]);
        return { user, demoted: ids };
      });
    },

    async list({ limit, offset }: Page): Promise<{ items: User[]; total: number }> {
      const [page, count] = await Promise.all([
        db.query<UserRow>(`SELECT ${COLUMNS} FROM users ORDER BY id DESC LIMIT $1 OFFSET $2`, [limit, offset]),
        db.query<{ total: number }>('SELECT count(*)::int AS total FROM users'),
      ]);
      return { items: page.rows.map(toUser), total: count.rows[0]!.total };
    },
  };
}
