-- The sequence of a pair's meetings and the feedback each participant owes after each one.

CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
    pair_id INTEGER NOT NULL REFERENCES pairs (id),
    -- organizational, trial, planning, regular, final
    kind TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    place TEXT NOT NULL,
    topic TEXT NOT NULL,
    -- proposed (waiting for the other side), confirmed, cancelled
    status TEXT NOT NULL,
    -- bumped on every reschedule; reminders carry it in their outbox keys
    revision INTEGER NOT NULL DEFAULT 1,
    proposed_by INTEGER NOT NULL REFERENCES people (id),
    created_at TEXT NOT NULL
);
CREATE INDEX meetings_pair ON meetings (pair_id, starts_at);

CREATE TABLE meeting_feedback (
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    person_id INTEGER NOT NULL REFERENCES people (id),
    session_id INTEGER NOT NULL REFERENCES form_sessions (id),
    PRIMARY KEY (meeting_id, person_id)
);
