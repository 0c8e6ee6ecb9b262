import { isUniqueViolation, type Page, type Pool } from '@shopstack/db';
import { EmailTaken } from './users.errors.js';

export interface User {
  id: string;
  email: string;
  name: string;
  createdAt: string;
}

interface UserRow {
  id: string;
  email: string;
  name: string;
  created_at: Date;
}

const toUser = (row: UserRow): User => ({ id: row.id, email: row.email, name: row.name, createdAt: row.created_at.toISOString() });

export type UsersRepository = ReturnType<typeof createUsersRepository>;

export function createUsersRepository(db: Pool) {
  return {
    async insert(user: Omit<User, 'createdAt'>): Promise<User> {
      try {
        const { rows } = await db.query<UserRow>(
          'INSERT INTO users (id, email, name) VALUES ($1, $2, $3) RETURNING id, email, name, created_at',
          [user.id, user.email, user.name],
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
      const { rows } = await db.query<UserRow>('SELECT id, email, name, created_at FROM users WHERE id = $1', [id]);
      return rows[0] && toUser(rows[0]);
    },

    async list({ limit, offset }: Page): Promise<{ items: User[]; total: number }> {
      const [page, count] = await Promise.all([
        db.query<UserRow>('SELECT id, email, name, created_at FROM users ORDER BY id DESC LIMIT $1 OFFSET $2', [limit, offset]),
        db.query<{ total: number }>('SELECT count(*)::int AS total FROM users'),
      ]);
      return { items: page.rows.map(toUser), total: count.rows[0]!.total };
    },
  };
}
