-- Forms (questionnaires, consents, later surveys), their answers, and consent evidence.

CREATE TABLE form_sessions (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people (id),
    organization_id INTEGER REFERENCES organizations (id),
    -- whom the form is about when that is not the person filling it (a parent's consent)
    subject_person_id INTEGER REFERENCES people (id),
    form_id TEXT NOT NULL,
    form_version INTEGER NOT NULL,
    status TEXT NOT NULL,
    -- id of the question on screen, or '' while the summary is shown
    current_question TEXT NOT NULL,
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    submitted_at TEXT
);
CREATE INDEX form_sessions_person ON form_sessions (person_id, form_id, status);
CREATE INDEX form_sessions_school ON form_sessions (organization_id, form_id, status);

-- One row per answered question, written the moment the answer is given.
CREATE TABLE form_answers (
    session_id INTEGER NOT NULL REFERENCES form_sessions (id) ON DELETE CASCADE,
    question_id TEXT NOT NULL,
    value TEXT NOT NULL,
    answered_at TEXT NOT NULL,
    PRIMARY KEY (session_id, question_id)
);

-- Evidence of consent to personal-data processing (152-FZ). Holds ids, never answers.
-- kind: 'personal_data' (the person's own) or 'parent' (a legal representative's for a student).
CREATE TABLE consents (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people (id),
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    kind TEXT NOT NULL,
    text_version INTEGER NOT NULL,
    text_hash TEXT NOT NULL,
    decision TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    message_id BIGINT,
    parent_telegram_id BIGINT,
    parent_name TEXT,
    withdrawn_at TEXT
);
CREATE INDEX consents_person ON consents (person_id, kind);

-- The parent link names the student it is for.
ALTER TABLE invites ADD COLUMN subject_person_id INTEGER REFERENCES people (id);

-- What survives a withdrawal: anonymous counts for the school's statistics.
CREATE TABLE withdrawals (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER REFERENCES organizations (id),
    role TEXT NOT NULL,
    withdrawn_at TEXT NOT NULL
);
