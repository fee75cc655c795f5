-- Best practices (issue 16): a completed pair's case, published only when every side of the
-- pair agreed; names appear only when every side agreed to names too.
CREATE TABLE practice_consents (
    pair_id INTEGER NOT NULL REFERENCES pairs (id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    -- 1: the person agreed to be named in the published case
    with_names INTEGER NOT NULL DEFAULT 0,
    agreed_at TEXT NOT NULL,
    PRIMARY KEY (pair_id, person_id)
);

-- The curator's short description of the case; published_at NULL while a draft.
CREATE TABLE practices (
    id INTEGER PRIMARY KEY,
    pair_id INTEGER NOT NULL UNIQUE REFERENCES pairs (id) ON DELETE CASCADE,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    -- «2026/2027»: the school year the program was completed in
    school_year TEXT NOT NULL,
    goal TEXT NOT NULL,
    done TEXT NOT NULL,
    result TEXT NOT NULL,
    published_at TEXT,
    published_by BIGINT,
    updated_at TEXT NOT NULL
);

CREATE INDEX practices_school ON practices (organization_id, school_year);

-- Input from third parties on a mentee's requests (seed 001: the class teacher, the
-- psychologist): the curator invites a colleague of the school; the note is theirs.
CREATE TABLE mentee_notes (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    mentee_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    invited_by BIGINT NOT NULL,
    -- empty until written
    text TEXT NOT NULL DEFAULT '',
    -- 1: the author let the mentor of a pair with the mentee read it
    for_mentor INTEGER NOT NULL DEFAULT 0,
    invited_at TEXT NOT NULL,
    written_at TEXT
);

CREATE INDEX mentee_notes_mentee ON mentee_notes (mentee_id);
CREATE INDEX mentee_notes_author ON mentee_notes (author_id);

-- Materials of the library attached to an item of a pair's program plan (its line number).
CREATE TABLE plan_materials (
    pair_id INTEGER NOT NULL REFERENCES pairs (id) ON DELETE CASCADE,
    item INTEGER NOT NULL,
    material_id INTEGER NOT NULL REFERENCES library_materials (id) ON DELETE CASCADE,
    attached_by INTEGER NOT NULL REFERENCES people (id),
    attached_at TEXT NOT NULL,
    PRIMARY KEY (pair_id, item, material_id)
);
