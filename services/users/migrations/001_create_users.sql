CREATE TABLE users (
  id         uuid PRIMARY KEY,
  email      text NOT NULL,
  name       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Emails are unique whatever their case: Ann@example.com and ann@example.com are one user.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
