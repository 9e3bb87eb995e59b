-- The assignee's unit of today, kept with the proposal when it is assigned,
-- so that a locality's open proposals are counted without listing its
-- organizations (the server fills those assigned before, asking the
-- registry once per assignee).
ALTER TABLE reports.proposals ADD COLUMN assignee_locality_id text;

CREATE INDEX proposals_open_by_assignee_locality ON reports.proposals (assignee_locality_id)
  WHERE status IN ('OPEN', 'IN_PROGRESS');
