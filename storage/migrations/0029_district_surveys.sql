-- Surveys (issue 13), continued: a coordinator's survey to every school of the district, a
-- launch finished after a crash, and each school's own offsets.

-- A coordinator's survey: one template, one audience and one deadline for the whole
-- district. Each school gets a campaign of its own (survey_campaigns.district_survey_id),
-- answered, reminded and counted as any other: the engine is the same.
CREATE TABLE survey_district_campaigns (
    id INTEGER PRIMARY KEY,
    district_id INTEGER NOT NULL REFERENCES districts (id),
    form_id TEXT NOT NULL,
    form_version INTEGER NOT NULL,
    anonymous INTEGER NOT NULL,
    -- curators / school (every mentor and mentee)
    audience TEXT NOT NULL,
    deadline TEXT,
    -- draft / running
    status TEXT NOT NULL,
    -- 'schools' while the schools' campaigns are being made; NULL once all are made
    launch_step TEXT,
    created_by BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    launched_at TEXT
);

CREATE INDEX survey_district_campaigns_district ON survey_district_campaigns (district_id);

ALTER TABLE survey_campaigns ADD COLUMN district_survey_id INTEGER
    REFERENCES survey_district_campaigns (id);
-- A launch under way: 'recipients' while they are stored, 'queue' while their messages are
-- queued; NULL once done. A launch cut short by a crash is finished from here.
ALTER TABLE survey_campaigns ADD COLUMN launch_step TEXT;

-- One campaign a school of a district survey (NULLs, the schools' own surveys, are distinct).
CREATE UNIQUE INDEX survey_campaigns_district_school
    ON survey_campaigns (district_survey_id, organization_id);

-- A school's own offsets; NULL: the configured default.
CREATE TABLE survey_school_settings (
    organization_id INTEGER PRIMARY KEY REFERENCES organizations (id),
    -- days before a survey's deadline when non-respondents are reminded, e.g. "3,1"
    reminder_offsets TEXT,
    -- the program's share (percent) at which the intermediate feedback goes out
    midpoint_percent INTEGER,
    -- days a participant has to answer a program's monitoring survey
    survey_days INTEGER
);
