-- Each organization's unit of today (its locality's successor, or the
-- locality itself), kept with it: a locality's organizations are one index
-- range in id order, so a page of them is read without filtering the
-- country's (the set of units a locality absorbed is a subquery whose
-- size the planner cannot know).
ALTER TABLE organizations.organization_rows ADD COLUMN current_locality_id text;
UPDATE organizations.organization_rows o SET current_locality_id = coalesce(l.successor_id, l.id)
  FROM organizations.localities l WHERE l.id = o.locality_id;
CREATE OR REPLACE VIEW organizations.organizations AS
  SELECT * FROM organizations.organization_rows WHERE delete_time IS NULL;
CREATE INDEX organizations_by_current_locality
  ON organizations.organization_rows (current_locality_id, id);

CREATE FUNCTION organizations.set_current_locality() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.current_locality_id := (SELECT coalesce(l.successor_id, l.id)
                                FROM organizations.localities l WHERE l.id = NEW.locality_id);
  RETURN NEW;
END $$;

CREATE TRIGGER organizations_current_locality
  BEFORE INSERT OR UPDATE OF locality_id ON organizations.organization_rows
  FOR EACH ROW EXECUTE FUNCTION organizations.set_current_locality();

-- A unit that comes under another moves its organizations with it.
CREATE FUNCTION organizations.follow_successor() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE organizations.organization_rows SET current_locality_id = coalesce(NEW.successor_id, NEW.id)
   WHERE locality_id = NEW.id;
  RETURN NULL;
END $$;

CREATE TRIGGER localities_successor
  AFTER UPDATE OF successor_id ON organizations.localities
  FOR EACH ROW EXECUTE FUNCTION organizations.follow_successor();
