-- The reporting unit's locality as the registry names it, kept with the
-- duty so a filing for a period after the unit's locality was dissolved is
-- refused naming the successor. Unknown (NULL) for duties set before.
ALTER TABLE reports.obligations ADD COLUMN unit_locality_id text;
