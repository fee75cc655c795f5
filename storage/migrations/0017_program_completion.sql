-- The end of every program (issue 13): completion confirmed by both sides, early endings with
-- their reason, agreed revisions with the program's history, and the monitoring surveys.

-- An end date agreed after confirmation (an extension); NULL: start date plus months.
ALTER TABLE programs ADD COLUMN ends_on TEXT;

-- Each side's «программа выполнена» (kind completed) or «завершить по взаимному решению»
-- (kind mutual); the pair ends when every participant has said the same.
CREATE TABLE program_agreements (
    pair_id INTEGER NOT NULL REFERENCES pairs (id),
    person_id INTEGER NOT NULL REFERENCES people (id),
    kind TEXT NOT NULL,
    agreed_at TEXT NOT NULL,
    PRIMARY KEY (pair_id, person_id, kind)
);

-- How a pair's program ended, one row a pair: the primary key is what makes two endings
-- started at the same moment one. `reason` is a ProgramEndReason; `effective_on` is the day
-- the ending takes effect (after the notice of ТК РФ ст. 351.8 for a mentor's ending);
-- `ended_at` is set once the pair has ended.
CREATE TABLE program_endings (
    pair_id INTEGER PRIMARY KEY REFERENCES pairs (id),
    reason TEXT NOT NULL,
    note TEXT NOT NULL,
    initiated_by INTEGER REFERENCES people (id) ON DELETE SET NULL,
    requested_at TEXT NOT NULL,
    effective_on TEXT NOT NULL,
    ended_at TEXT
);
CREATE INDEX program_endings_due ON program_endings (ended_at, effective_on);

-- A change proposed by one side (a new end date and/or a new plan of activities); the other
-- side accepts or declines. At most one pending change a pair.
CREATE TABLE program_changes (
    id INTEGER PRIMARY KEY,
    pair_id INTEGER NOT NULL REFERENCES pairs (id),
    proposed_by INTEGER REFERENCES people (id) ON DELETE SET NULL,
    ends_on TEXT,
    activities TEXT,
    -- pending / accepted / declined
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    decided_by INTEGER REFERENCES people (id) ON DELETE SET NULL,
    decided_at TEXT
);
CREATE UNIQUE INDEX program_changes_pending ON program_changes (pair_id) WHERE status = 'pending';

-- Every accepted version of a program, as it was agreed: the history a revision used to
-- overwrite.
CREATE TABLE program_revisions (
    pair_id INTEGER NOT NULL REFERENCES pairs (id),
    revision INTEGER NOT NULL,
    answers TEXT NOT NULL,
    ends_on TEXT,
    change_id INTEGER REFERENCES program_changes (id),
    accepted_at TEXT NOT NULL,
    PRIMARY KEY (pair_id, revision)
);

-- The monitoring surveys sent for a pair's program, one a stage (ProgramSurveyStage):
-- growth at the start and at completion, intermediate feedback, final satisfaction.
CREATE TABLE program_surveys (
    pair_id INTEGER NOT NULL REFERENCES pairs (id),
    stage TEXT NOT NULL,
    survey_id INTEGER REFERENCES survey_campaigns (id) ON DELETE SET NULL,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (pair_id, stage)
);
