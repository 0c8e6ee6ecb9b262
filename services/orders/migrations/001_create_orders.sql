CREATE TABLE orders (
  id                  uuid PRIMARY KEY,
  -- No foreign key: users live in the users service's database, checked over HTTP.
  user_id             uuid NOT NULL,
  status              text NOT NULL DEFAULT 'confirmed',
  total_cents         bigint NOT NULL CHECK (total_cents >= 0),
  -- The durable half of idempotency: one order per key, whatever happens to Redis.
  idempotency_key     text UNIQUE,
  request_fingerprint text,
  created_at          timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX orders_user_id_idx ON orders (user_id, id);

CREATE TABLE order_items (
  order_id         uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  product_id       uuid NOT NULL,
  -- Name and price as they were when ordered: later catalogue edits do not rewrite history.
  product_name     text NOT NULL,
  quantity         integer NOT NULL CHECK (quantity > 0),
  unit_price_cents integer NOT NULL CHECK (unit_price_cents >= 0),
  PRIMARY KEY (order_id, product_id)
);
