-- Awards (issue 14): the vote of a school's participants on a nomination's shortlist. The vote
-- itself is an ordinary survey campaign (one single-choice question, the candidates its
-- options); this row ties it to the school, the year and the nomination, and keeps the
-- candidates as they were when the vote was opened, in the order of the options.
CREATE TABLE award_votes (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    -- «2025/2026»: the open year becomes a closed one under the same label
    year_label TEXT NOT NULL,
    -- mentor («Наставник года») / pair («Лучшая пара»)
    nomination TEXT NOT NULL,
    -- NULL while the vote is being opened (the row is claimed first, so two taps make one)
    survey_id INTEGER REFERENCES survey_campaigns (id) ON DELETE SET NULL,
    -- JSON: [[kind, id], ...]; option number n (o{n}) is candidate n
    candidates TEXT NOT NULL,
    created_by BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (organization_id, year_label, nomination)
);
