-- A closed school year of a school: its figures frozen at closing, for the district's reports.
-- The pairs of a closed year leave the curator's working list but stay in the database.
CREATE TABLE school_years (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    -- «2025/2026»
    label TEXT NOT NULL,
    closed_at TEXT NOT NULL,
    closed_by BIGINT NOT NULL,
    -- pairs and groups that worked during the year
    pairs INTEGER NOT NULL,
    -- of them: still working at closing (their program completed with the year)
    completed INTEGER NOT NULL,
    -- of them: ended earlier (a request approved, consent withdrawn)
    ended_early INTEGER NOT NULL,
    -- meetings held (confirmed, and their time had come) and feedback forms received
    meetings INTEGER NOT NULL,
    feedback INTEGER NOT NULL,
    UNIQUE (organization_id, label)
);

ALTER TABLE pairs ADD COLUMN school_year_id INTEGER REFERENCES school_years (id);
