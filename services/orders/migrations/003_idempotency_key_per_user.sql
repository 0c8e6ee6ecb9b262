-- An Idempotency-Key belongs to its caller: two customers who happen to send the same key
-- (a counter, a timestamp, a badly seeded generator) get two orders, and neither can read
-- the other's order back by replaying the key. Still the durable half of idempotency,
-- whatever happens to Redis, now per user.
ALTER TABLE orders DROP CONSTRAINT orders_idempotency_key_key;
ALTER TABLE orders ADD CONSTRAINT orders_user_id_idempotency_key_key UNIQUE (user_id, idempotency_key);
