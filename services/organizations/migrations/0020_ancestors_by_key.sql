-- A new organization's chain is its parent's, read by the parent's key.
-- Read through the view (delete_time IS NULL), the lookup could also be
-- answered from organizations_by_path, whose rows are exactly the live
-- ones: a connection that planned it while the table was still empty kept
-- that plan, and each insert then read the whole index (inserts slowed
-- from 0.7 to 4 ms within 7,000 rows, until autovacuum analyzed the
-- table). Without a parent there is nothing to read.
CREATE OR REPLACE FUNCTION organizations.set_ancestors() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' OR NEW.parent_id IS DISTINCT FROM OLD.parent_id THEN
    IF NEW.parent_id IS NULL THEN
      NEW.ancestors := '{}';
    ELSE
      NEW.ancestors := coalesce(
        (SELECT CASE WHEN p.delete_time IS NULL THEN p.ancestors || p.id END
           FROM organizations.organization_rows p WHERE p.id = NEW.parent_id),
        '{}');
    END IF;
  END IF;
  RETURN NEW;
END $$;
