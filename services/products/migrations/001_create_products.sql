CREATE TABLE products (
  id          uuid PRIMARY KEY,
  name        text NOT NULL,
  description text,
  price_cents integer NOT NULL CHECK (price_cents >= 0),
  -- The last line of defence against overselling: the reservation query never lets stock
  -- go negative, and if it ever tried, this would abort the transaction.
  stock       integer NOT NULL CHECK (stock >= 0),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- A reservation takes stock for one order. Its id is the order's id, which makes a retried
-- reservation a replay rather than a second decrement.
CREATE TABLE reservations (
  id          uuid PRIMARY KEY,
  created_at  timestamptz NOT NULL DEFAULT now(),
  released_at timestamptz
);

CREATE TABLE reservation_items (
  reservation_id   uuid NOT NULL REFERENCES reservations (id),
  product_id       uuid NOT NULL REFERENCES products (id),
  quantity         integer NOT NULL CHECK (quantity > 0),
  unit_price_cents integer NOT NULL,
  PRIMARY KEY (reservation_id, product_id)
);
