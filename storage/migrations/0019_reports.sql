-- Monitoring reports (issue 14): the register of the school's local acts reuses school_orders
-- (kind: pairs, model, regulation, roadmap, curator); an act may carry its file, kept by
-- Telegram's file id. The curator's contacts and the events where the school presented its
-- practice are what the district's tables ask for besides the figures.
ALTER TABLE school_orders ADD COLUMN file_id TEXT;
ALTER TABLE school_orders ADD COLUMN file_name TEXT;

CREATE TABLE curator_contacts (
    organization_id INTEGER PRIMARY KEY REFERENCES organizations (id),
    full_name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT NOT NULL,
    updated_by BIGINT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE practice_events (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    -- school / municipal / regional / federal
    level TEXT NOT NULL,
    -- YYYY-MM-DD
    held_on TEXT NOT NULL,
    participants INTEGER NOT NULL,
    result TEXT NOT NULL,
    link TEXT NOT NULL,
    created_by BIGINT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX practice_events_school ON practice_events (organization_id, held_on);
