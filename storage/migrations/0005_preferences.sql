-- The preference round after the candidates' group meeting: each mentee names up to three
-- mentors, each mentor the mentees they would take. Rows of the latest round only.

CREATE TABLE preferences (
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    chooser_id INTEGER NOT NULL REFERENCES people (id),
    chosen_id INTEGER NOT NULL REFERENCES people (id),
    -- which side chose: 'mentee' (chosen is a mentor) or 'mentor' (chosen is a mentee)
    side TEXT NOT NULL,
    chosen_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, chooser_id, chosen_id)
);
