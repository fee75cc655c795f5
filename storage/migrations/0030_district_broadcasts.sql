-- A coordinator's announcement to the district: one broadcast row per school of the district
-- (organization_id stays NOT NULL), all naming the group's first row, the one whose card,
-- progress message and history the coordinator sees. NULL: a curator's own broadcast.
ALTER TABLE broadcasts ADD COLUMN district_broadcast_id INTEGER;
CREATE INDEX broadcasts_district_group ON broadcasts (district_broadcast_id);
