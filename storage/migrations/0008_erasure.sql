-- The daily erasure job (152-FZ: the data of a person who withdrew consent is gone within 30
-- days). One row per run: what it erased, counted, never whose.
CREATE TABLE erasure_runs (
    id INTEGER PRIMARY KEY,
    ran_at TEXT NOT NULL,
    -- people with every consent withdrawn, checked and erased again
    people INTEGER NOT NULL,
    -- texts of messages delivered (or given up) long enough ago, blanked
    messages INTEGER NOT NULL,
    -- backup copies old enough to still hold erased data, deleted
    backups INTEGER NOT NULL
);

-- Finished outbox rows that still carry a text, by age: what the job blanks.
CREATE INDEX outbox_finished_with_text ON outbox (finished_at) WHERE payload <> '{}';
