-- Time-critical messages (a reminder an hour before a meeting) jump the queue of a large
-- broadcast. The claim takes urgent rows first, each priority through its own index range.
ALTER TABLE outbox ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
CREATE INDEX outbox_due_priority ON outbox (status, priority, next_attempt_at);
