-- Events the bot organises (issue 15): mentor training, sessions, round tables. Not the
-- practice_events of the reports (0019), which record where the school presented its practice.
-- A school's event has its organization; a district's event only its district.
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER REFERENCES organizations (id),
    district_id INTEGER NOT NULL REFERENCES districts (id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    place TEXT NOT NULL,
    audience TEXT NOT NULL,
    -- planned / cancelled
    status TEXT NOT NULL,
    -- raised by every change of the time: the reminders' keys carry it
    revision INTEGER NOT NULL DEFAULT 0,
    -- made when the organiser began: a double tap on «Создать» finds the same row
    draft_key TEXT NOT NULL UNIQUE,
    created_by INTEGER NOT NULL REFERENCES people (id),
    created_at TEXT NOT NULL
);
CREATE INDEX events_organization ON events (organization_id, starts_at);
CREATE INDEX events_district ON events (district_id, starts_at);

-- One row an invited person: their answer (NULL until they give one) and, after the event,
-- whether they attended. organization_id and role are the invitee's, for the school report.
CREATE TABLE event_invitations (
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    role TEXT NOT NULL,
    answer TEXT,
    answered_at TEXT,
    attended INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (event_id, person_id)
);
CREATE INDEX event_invitations_person ON event_invitations (person_id);
CREATE INDEX event_invitations_organization ON event_invitations (organization_id);

-- Files the organiser sent after the event, kept by Telegram's file id.
CREATE TABLE event_materials (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    file_id TEXT NOT NULL,
    file_name TEXT NOT NULL,
    added_at TEXT NOT NULL
);
CREATE INDEX event_materials_event ON event_materials (event_id, id);
