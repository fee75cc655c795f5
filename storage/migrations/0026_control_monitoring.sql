-- Control monitoring (issue 14): the coordinator asks every curator of the district for the
-- monitoring data by a deadline; each school's confirmation records its figures as they were
-- (counts only). The newest request of a district is its current one.
CREATE TABLE monitoring_requests (
    id INTEGER PRIMARY KEY,
    district_id INTEGER NOT NULL REFERENCES districts (id),
    deadline TEXT NOT NULL,
    created_by BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    -- the coordinator's last one-tap reminder: not again within an hour
    reminded_at TEXT
);
CREATE INDEX monitoring_requests_district ON monitoring_requests (district_id, id);

CREATE TABLE monitoring_submissions (
    request_id INTEGER NOT NULL REFERENCES monitoring_requests (id),
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    submitted_by BIGINT NOT NULL,
    submitted_at TEXT NOT NULL,
    -- 0/1: confirmed after the deadline (accepted, marked late)
    late INTEGER NOT NULL,
    mentors INTEGER NOT NULL,
    mentees INTEGER NOT NULL,
    pairs INTEGER NOT NULL,
    completed INTEGER NOT NULL,
    meetings_held INTEGER NOT NULL,
    events INTEGER NOT NULL,
    PRIMARY KEY (request_id, organization_id)
);
CREATE INDEX monitoring_submissions_school ON monitoring_submissions (organization_id, submitted_at);
