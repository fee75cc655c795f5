-- Foundation: districts, schools, people and their roles, invites, the outbox, FSM state.
-- Times are fixed-width UTC text (see storage.db.to_db_time).

CREATE TABLE districts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

CREATE TABLE organizations (
    id INTEGER PRIMARY KEY,
    district_id INTEGER NOT NULL REFERENCES districts (id),
    name TEXT NOT NULL,
    timezone TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (district_id, name)
);

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    telegram_id BIGINT NOT NULL UNIQUE,
    is_active INTEGER NOT NULL DEFAULT 1,
    inactive_reason TEXT,
    created_at TEXT NOT NULL
);

-- A coordinator's grant names a district; curator, mentor and mentee grants name a school.
CREATE TABLE role_grants (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    district_id INTEGER REFERENCES districts (id),
    organization_id INTEGER REFERENCES organizations (id),
    granted_at TEXT NOT NULL
);
CREATE INDEX role_grants_person ON role_grants (person_id);
CREATE INDEX role_grants_organization ON role_grants (organization_id, role);

-- Only a hash of the token is kept: a leaked database does not leak usable links.
CREATE TABLE invites (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    district_id INTEGER REFERENCES districts (id),
    organization_id INTEGER REFERENCES organizations (id),
    created_by BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    max_uses INTEGER,
    uses INTEGER NOT NULL DEFAULT 0,
    revoked_at TEXT
);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    unique_key TEXT NOT NULL UNIQUE,
    chat_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    due_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    claimed_by TEXT,
    last_error TEXT,
    finished_at TEXT,
    created_at TEXT NOT NULL
);
-- The tick asks for "pending rows whose next attempt is due": this index answers it
-- without scanning sent history, so a tick costs the same at 1,000 or 1,000,000 rows.
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

CREATE TABLE fsm_states (
    storage_key TEXT PRIMARY KEY,
    state TEXT,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE group_notices (
    chat_id BIGINT PRIMARY KEY,
    noticed_at TEXT NOT NULL
);
