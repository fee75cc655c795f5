-- The hourly sweep of idle pairs reads only the pairs due for a look, not every active pair:
-- sweep_at is when the sweep next looks at a pair. Activation, a meeting proposed, moved,
-- confirmed or cancelled and feedback given set it to that moment; the sweep itself sets it
-- to the next moment the pair's answer can change by the clock alone (NULL: never).
ALTER TABLE pairs ADD COLUMN sweep_at TEXT;
UPDATE pairs SET sweep_at = COALESCE(activated_at, created_at) WHERE status = 'active';
CREATE INDEX pairs_sweep ON pairs (sweep_at);

-- The settings the pairs' sweep_at were computed with (the idle thresholds): when they
-- change, every active pair is looked at again once.
CREATE TABLE sweep_settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
