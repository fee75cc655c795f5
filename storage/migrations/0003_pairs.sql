-- Pairs and groups (one mentor, one or more mentees), their invitations, and the curator's
-- draft proposal.

CREATE TABLE pairs (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    mentor_id INTEGER NOT NULL REFERENCES people (id),
    form TEXT NOT NULL,
    kind TEXT NOT NULL,
    -- invited (waiting for everyone's answer), active, declined, withdrawn, ended
    status TEXT NOT NULL,
    created_by BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    activated_at TEXT,
    ended_at TEXT,
    end_reason TEXT
);
CREATE INDEX pairs_school ON pairs (organization_id, status);
CREATE INDEX pairs_mentor ON pairs (mentor_id, status);

-- Acceptance is the written consent to the extra duties of a participant.
CREATE TABLE pair_participants (
    pair_id INTEGER NOT NULL REFERENCES pairs (id),
    person_id INTEGER NOT NULL REFERENCES people (id),
    role TEXT NOT NULL,
    decision TEXT NOT NULL,
    decided_at TEXT,
    reason TEXT,
    PRIMARY KEY (pair_id, person_id)
);
CREATE INDEX pair_participants_person ON pair_participants (person_id);

CREATE TABLE pair_drafts (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    mentee_id INTEGER NOT NULL REFERENCES people (id),
    mentor_id INTEGER NOT NULL REFERENCES people (id),
    score REAL NOT NULL,
    reasons TEXT NOT NULL,
    -- open, accepted, discarded
    status TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX pair_drafts_school ON pair_drafts (organization_id, status);
