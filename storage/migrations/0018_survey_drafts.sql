-- Surveys (issue 13), continued. A curator's own survey, or a template the curator edited, is
-- a form stored here: every edit of a draft is a new version; a launched survey's version is
-- the one its answers were given to, never changed again.
CREATE TABLE survey_forms (
    form_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    -- JSON: title, intro, questions
    body TEXT NOT NULL,
    PRIMARY KEY (form_id, version)
);

-- The pairs whose participants a survey goes to (audience "pairs"), chosen on the draft.
CREATE TABLE survey_audience_pairs (
    survey_id INTEGER NOT NULL REFERENCES survey_campaigns (id) ON DELETE CASCADE,
    pair_id INTEGER NOT NULL REFERENCES pairs (id) ON DELETE CASCADE,
    PRIMARY KEY (survey_id, pair_id)
);
