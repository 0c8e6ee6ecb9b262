-- Orders' own signing keys, for the token it sends products with each reservation call
-- (README, "Service identity"). The table @shopstack/key-store reads, as in users' database:
-- the key is made on first start, shared by every replica, and rotated by adding a row.
CREATE TABLE signing_keys (
  -- The public key's thumbprint (RFC 7638): the `kid` in the header of each token it signs.
  kid         text PRIMARY KEY,
  -- Both halves as JWKs; only the public one leaves this database (/internal/jwks.json).
  private_jwk jsonb NOT NULL,
  public_jwk  jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  -- Set when a newer key takes over; still published a little longer, for its last tokens.
  retired_at  timestamptz
);
