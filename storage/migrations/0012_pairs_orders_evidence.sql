-- The school's orders with their numbers and dates, which the district report lists
-- (kind: 'pairs' for «Об утверждении наставнических пар/групп»); signed_on is YYYY-MM-DD.
CREATE TABLE school_orders (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    kind TEXT NOT NULL,
    number TEXT NOT NULL,
    signed_on TEXT NOT NULL,
    created_by BIGINT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX school_orders_school ON school_orders (organization_id, kind);

-- Accepting an invitation is the participant's written consent to the pair: keep the same
-- evidence as for the personal-data consent. The version and hash of the invitation text
-- are set when the invitation is sent; the message id when the person answers it.
ALTER TABLE pair_participants ADD COLUMN consent_version INTEGER;
ALTER TABLE pair_participants ADD COLUMN consent_hash TEXT;
ALTER TABLE pair_participants ADD COLUMN message_id BIGINT;
