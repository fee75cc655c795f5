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
