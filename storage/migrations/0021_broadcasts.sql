-- Quiet hours belong to the outbox: every row waits for the end of its recipient's quiet
-- hours unless it hands over the reply to the user's own action.
ALTER TABLE outbox ADD COLUMN answers_user INTEGER NOT NULL DEFAULT 0;

-- A curator's announcement to an audience of their school; each recipient's copy is one
-- outbox row (outbox_key), so the counts and the reasons of failure are read from there.
CREATE TABLE broadcasts (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    author_id INTEGER NOT NULL REFERENCES people (id),
    audience TEXT NOT NULL,
    text TEXT NOT NULL,
    -- made when the curator began composing: a double tap on «Отправить» finds the same row
    draft_key TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
CREATE INDEX broadcasts_organization ON broadcasts (organization_id, id);

CREATE TABLE broadcast_recipients (
    broadcast_id INTEGER NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    outbox_key TEXT NOT NULL,
    PRIMARY KEY (broadcast_id, person_id)
);
