-- The school roadmap («дорожная карта», issue 16): one per school and school year, or a
-- district's template (kind 'district', scope_id the district, school_year ''), which the
-- district publishes to its schools.
CREATE TABLE roadmaps (
    id INTEGER PRIMARY KEY,
    -- school / district
    kind TEXT NOT NULL,
    -- the school's id, or the district's for a template
    scope_id INTEGER NOT NULL,
    district_id INTEGER NOT NULL REFERENCES districts (id),
    -- «2026/2027»
    school_year TEXT NOT NULL,
    published_at TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (kind, scope_id, school_year)
);

CREATE TABLE roadmap_items (
    id INTEGER PRIMARY KEY,
    roadmap_id INTEGER NOT NULL REFERENCES roadmaps (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    stage TEXT NOT NULL,
    activity TEXT NOT NULL,
    content TEXT NOT NULL,
    -- date / month / yearly («ежегодно, сентябрь»)
    deadline_kind TEXT NOT NULL,
    -- YYYY-MM-DD: the date, or the last day of the month; reminders count to it
    due_on TEXT NOT NULL,
    -- a free-text role («заместитель директора по УР») beside or instead of named people
    responsible_role TEXT NOT NULL DEFAULT '',
    result TEXT NOT NULL DEFAULT '',
    -- what the bot watches to close the item itself: mentee_bank / mentor_bank / pairs_order
    auto TEXT NOT NULL DEFAULT '',
    -- planned / done
    status TEXT NOT NULL,
    done_at TEXT,
    -- the Telegram id of who marked it done; NULL when the bot did
    done_by BIGINT,
    -- the evidence: what the bot saw, or the responsible person's note
    note TEXT NOT NULL DEFAULT '',
    file_id TEXT,
    -- the district template's item it came from
    template_item_id INTEGER
);

CREATE INDEX roadmap_items_roadmap ON roadmap_items (roadmap_id, position);
-- The daily sweep reads a page of roadmaps' open items at a time.
CREATE INDEX roadmap_items_open ON roadmap_items (roadmap_id, status, due_on);
CREATE UNIQUE INDEX roadmap_items_template ON roadmap_items (roadmap_id, template_item_id);

CREATE TABLE roadmap_responsibles (
    item_id INTEGER NOT NULL REFERENCES roadmap_items (id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    PRIMARY KEY (item_id, person_id)
);

CREATE INDEX roadmap_responsibles_person ON roadmap_responsibles (person_id);

-- The methodological library («методическая копилка»): a school's materials, or the
-- district's (organization_id NULL), each a Telegram file or a link.
CREATE TABLE library_materials (
    id INTEGER PRIMARY KEY,
    district_id INTEGER NOT NULL REFERENCES districts (id),
    organization_id INTEGER REFERENCES organizations (id),
    title TEXT NOT NULL,
    -- a competence area id (bot/forms/catalog.py COMPETENCE_AREAS)
    topic TEXT NOT NULL,
    -- mentors / mentees / everyone
    audience TEXT NOT NULL,
    -- file / link
    kind TEXT NOT NULL,
    file_id TEXT,
    file_name TEXT,
    url TEXT,
    created_by BIGINT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE INDEX library_materials_scope ON library_materials (district_id, organization_id);
