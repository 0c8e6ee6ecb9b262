-- Stock taken at products for an order that is not stored (yet). A row is written before
-- products is asked to reserve, and deleted by the transaction that stores the order. A
-- row that outlives its request (the process was killed, the insert failed, a concurrent
-- request with the same key won) is stock to give back, whatever became of that process:
-- a recovery pass releases it at products, retrying until products answers.
CREATE TABLE pending_reservations (
  -- The order's id, which is also the reservation's id at products.
  id              uuid PRIMARY KEY,
  -- 'reserving': its request is in flight, or died; 'releasing': its stock must go back.
  state           text NOT NULL DEFAULT 'reserving' CHECK (state IN ('reserving', 'releasing')),
  attempts        integer NOT NULL DEFAULT 0,
  created_at      timestamptz NOT NULL DEFAULT now(),
  next_attempt_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX pending_reservations_created_at_idx ON pending_reservations (created_at);
