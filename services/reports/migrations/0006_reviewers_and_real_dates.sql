-- An obligation may name a reviewer besides the document's issuer.
ALTER TABLE reports.obligations ADD COLUMN reviewer_id bigint;

-- When an assignment really happened, apart from when it was recorded.
ALTER TABLE reports.proposals ADD COLUMN assigned_date date;
ALTER TABLE reports.proposal_assignments ADD COLUMN assigned_date date;
UPDATE reports.proposal_assignments
  SET assigned_date = ((assign_time AT TIME ZONE 'UTC') + interval '7 hours')::date;
UPDATE reports.proposals p SET assigned_date =
  (SELECT max(h.assigned_date) FROM reports.proposal_assignments h WHERE h.proposal_id = p.id)
  WHERE p.assignee_id IS NOT NULL;

-- A new assignee without a date of its own was assigned the day it was
-- recorded (Vietnam's day), not on the previous assignee's date.
CREATE FUNCTION reports.date_assignment() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.assignee_id IS NULL THEN
    NEW.assigned_date := NULL;
  ELSIF NEW.assigned_date IS NULL
     OR (TG_OP = 'UPDATE' AND NEW.assignee_id IS DISTINCT FROM OLD.assignee_id
         AND NEW.assigned_date IS NOT DISTINCT FROM OLD.assigned_date) THEN
    NEW.assigned_date := ((now() AT TIME ZONE 'UTC') + interval '7 hours')::date;
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER proposals_date_assignment
  BEFORE INSERT OR UPDATE ON reports.proposals
  FOR EACH ROW EXECUTE FUNCTION reports.date_assignment();

CREATE OR REPLACE FUNCTION reports.record_assignment() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.assignee_id IS NOT NULL
     AND (TG_OP = 'INSERT' OR NEW.assignee_id IS DISTINCT FROM OLD.assignee_id) THEN
    INSERT INTO reports.proposal_assignments (proposal_id, assignee_id, assigned_date)
      VALUES (NEW.id, NEW.assignee_id, NEW.assigned_date);
  ELSIF NEW.assignee_id IS NOT NULL AND NEW.assigned_date IS DISTINCT FROM OLD.assigned_date THEN
    -- A corrected date of the current assignment.
    UPDATE reports.proposal_assignments SET assigned_date = NEW.assigned_date
      WHERE proposal_id = NEW.id AND assign_time =
        (SELECT max(assign_time) FROM reports.proposal_assignments WHERE proposal_id = NEW.id);
  END IF;
  RETURN NULL;
END $$;

DROP TRIGGER proposals_record_assignment ON reports.proposals;
CREATE TRIGGER proposals_record_assignment
  AFTER INSERT OR UPDATE OF assignee_id, assigned_date ON reports.proposals
  FOR EACH ROW EXECUTE FUNCTION reports.record_assignment();
