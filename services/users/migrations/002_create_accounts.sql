-- Accounts: a password hash and a role per user. Users made before accounts existed have no
-- password: they cannot log in until an admin-free reset exists (none does; sign up again).
ALTER TABLE users
  ADD COLUMN password_hash text,
  ADD COLUMN role text NOT NULL DEFAULT 'customer' CHECK (role IN ('customer', 'admin'));

-- One row per login (a browser, a device): what logout and a reused refresh token revoke.
CREATE TABLE logins (
  id         uuid PRIMARY KEY,
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);

CREATE INDEX logins_user_id_idx ON logins (user_id) WHERE revoked_at IS NULL;

-- Refresh tokens, by the SHA-256 of their value: a copy of this table lets no one log in.
-- Each refresh uses one and makes the next in the same login; a used one presented again
-- means it was stolen, and the whole login is revoked.
CREATE TABLE refresh_tokens (
  token_hash text PRIMARY KEY,
  login_id   uuid NOT NULL REFERENCES logins (id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);

CREATE INDEX refresh_tokens_login_id_idx ON refresh_tokens (login_id);

-- The keys access tokens are signed with, kept with the users they speak for: every replica
-- signs with the same one, and a restart logs nobody out. The newest unretired key signs;
-- a retired one stays published (JWKS) until the last token it signed has expired.
CREATE TABLE signing_keys (
  kid         text PRIMARY KEY,
  private_jwk jsonb NOT NULL,
  public_jwk  jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  retired_at  timestamptz
);
