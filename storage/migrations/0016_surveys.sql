-- Survey campaigns (issue 13): a survey is a form of the catalogue (purpose "survey") sent to
-- an audience of one school with a deadline. Answers are given through ordinary form sessions.
CREATE TABLE survey_campaigns (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    form_id TEXT NOT NULL,
    form_version INTEGER NOT NULL,
    -- 0/1: answers are kept without the link to the person
    anonymous INTEGER NOT NULL,
    -- draft / running / closed (closed by the curator: final)
    status TEXT NOT NULL,
    -- school / mentors / mentees / not_answered (the non-respondents of `audience_survey_id`)
    audience TEXT NOT NULL,
    audience_survey_id INTEGER REFERENCES survey_campaigns (id),
    deadline TEXT,
    -- raised on every extension: the reminders of the old schedule are withdrawn
    schedule INTEGER NOT NULL DEFAULT 0,
    created_by BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    launched_at TEXT,
    closed_at TEXT,
    -- the curator's last reminder by hand (at most one an hour)
    reminded_at TEXT,
    -- the summary at the deadline went out (reset by an extension)
    summary_sent INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX survey_campaigns_school ON survey_campaigns (organization_id, status);

CREATE TABLE survey_recipients (
    survey_id INTEGER NOT NULL REFERENCES survey_campaigns (id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    -- mentor / mentee: the group results are shown by
    role TEXT NOT NULL,
    session_id INTEGER REFERENCES form_sessions (id) ON DELETE SET NULL,
    -- invited (not opened) / started / answered
    status TEXT NOT NULL,
    PRIMARY KEY (survey_id, person_id)
);

CREATE UNIQUE INDEX survey_recipients_session ON survey_recipients (session_id);

-- One row a respondent. In an anonymous survey person_id is NULL and the id is random, with no
-- time: nothing orders or dates the row so as to match it with who answered when.
CREATE TABLE survey_responses (
    id TEXT PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES survey_campaigns (id) ON DELETE CASCADE,
    person_id INTEGER REFERENCES people (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    answers TEXT NOT NULL
);

CREATE INDEX survey_responses_survey ON survey_responses (survey_id);
CREATE UNIQUE INDEX survey_responses_person ON survey_responses (survey_id, person_id);
