-- A deleted organization stays, marked with its delete_time, so what other
-- services record about it (the documents it issued, the duties it
-- reports on or reviews, its activities) keeps resolving. The rows move to
-- organizations.organization_rows; organizations.organizations becomes the
-- view of the live ones, which every statement reads and writes through,
-- so nothing else changes. A later migration adding a column to
-- organization_rows recreates the view.
ALTER TABLE organizations.organizations RENAME TO organization_rows;
ALTER TABLE organizations.organization_rows ADD COLUMN delete_time timestamptz;
CREATE VIEW organizations.organizations AS
  SELECT * FROM organizations.organization_rows WHERE delete_time IS NULL;

-- A new reference to a deleted organization fails as a missing one does:
-- the foreign key's own violation, under its name. Arguments: the
-- referencing column, the constraint.
CREATE FUNCTION organizations.refuse_deleted_organization() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  referenced bigint := (to_jsonb(NEW) ->> TG_ARGV[0])::bigint;
BEGIN
  IF referenced IS NOT NULL AND EXISTS (
      SELECT 1 FROM organizations.organization_rows
       WHERE id = referenced AND delete_time IS NOT NULL) THEN
    RAISE foreign_key_violation USING CONSTRAINT = TG_ARGV[1],
      MESSAGE = format('organization %s was deleted', referenced);
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER parent_organization_live
  BEFORE INSERT OR UPDATE OF parent_id ON organizations.organization_rows
  FOR EACH ROW EXECUTE FUNCTION
    organizations.refuse_deleted_organization('parent_id', 'organization_parent_exists');
CREATE TRIGGER merged_into_organization_live
  BEFORE INSERT OR UPDATE OF merged_into_id ON organizations.organization_rows
  FOR EACH ROW EXECUTE FUNCTION
    organizations.refuse_deleted_organization('merged_into_id', 'organization_merged_into_exists');
CREATE TRIGGER member_count_organization_live
  BEFORE INSERT OR UPDATE OF organization_id ON organizations.member_counts
  FOR EACH ROW EXECUTE FUNCTION
    organizations.refuse_deleted_organization('organization_id', 'member_count_organization_exists');
CREATE TRIGGER term_organization_live
  BEFORE INSERT OR UPDATE OF organization_id ON organizations.terms
  FOR EACH ROW EXECUTE FUNCTION
    organizations.refuse_deleted_organization('organization_id', 'term_organization_exists');
CREATE TRIGGER partnership_organization_live
  BEFORE INSERT OR UPDATE OF organization_id ON organizations.partnerships
  FOR EACH ROW EXECUTE FUNCTION
    organizations.refuse_deleted_organization('organization_id', 'partnership_organization_exists');

-- An organization is deleted only once nothing live depends on it, as the
-- foreign keys held when a delete removed the row (its member counts went
-- with it, and stay with it now).
CREATE FUNCTION organizations.refuse_delete_with_dependants() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  blocking text;
BEGIN
  SELECT constraint_name INTO blocking FROM (
      SELECT 'organization_parent_exists' AS constraint_name
       WHERE EXISTS (SELECT 1 FROM organizations.organizations WHERE parent_id = OLD.id)
      UNION ALL SELECT 'organization_merged_into_exists'
       WHERE EXISTS (SELECT 1 FROM organizations.organizations WHERE merged_into_id = OLD.id)
      UNION ALL SELECT 'term_organization_exists'
       WHERE EXISTS (SELECT 1 FROM organizations.terms WHERE organization_id = OLD.id)
      UNION ALL SELECT 'partnership_organization_exists'
       WHERE EXISTS (SELECT 1 FROM organizations.partnerships WHERE organization_id = OLD.id)) found
   LIMIT 1;
  IF blocking IS NOT NULL THEN
    RAISE foreign_key_violation USING CONSTRAINT = blocking,
      MESSAGE = format('organization %s still has dependants', OLD.id);
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER organization_delete_needs_no_dependants BEFORE UPDATE OF delete_time
  ON organizations.organization_rows FOR EACH ROW
  WHEN (OLD.delete_time IS NULL AND NEW.delete_time IS NOT NULL)
  EXECUTE FUNCTION organizations.refuse_delete_with_dependants();
