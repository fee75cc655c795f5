-- The personalized program of a pair: its text lives in a form session (the mentor drafts it
-- with the form engine); this row tracks whose agreement it has.

CREATE TABLE programs (
    pair_id INTEGER PRIMARY KEY REFERENCES pairs (id),
    session_id INTEGER NOT NULL REFERENCES form_sessions (id),
    -- draft (mentor writing), proposed (waiting for the mentee), confirmed
    status TEXT NOT NULL,
    revision INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    confirmed_at TEXT
);

-- A mentee asks to replace the mentor, a mentor asks to be released; the curator decides.
CREATE TABLE pair_requests (
    id INTEGER PRIMARY KEY,
    pair_id INTEGER NOT NULL REFERENCES pairs (id),
    person_id INTEGER NOT NULL REFERENCES people (id),
    kind TEXT NOT NULL,
    reason TEXT NOT NULL,
    -- pending, approved, declined
    status TEXT NOT NULL,
    curator_comment TEXT,
    created_at TEXT NOT NULL,
    decided_at TEXT
);
CREATE INDEX pair_requests_pair ON pair_requests (pair_id, status);
