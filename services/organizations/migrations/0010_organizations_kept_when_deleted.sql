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

-- What the foreign keys held, kept (common/resource/kept_when_deleted.sql).
CREATE TRIGGER parent_organization_live
  BEFORE INSERT OR UPDATE OF parent_id ON organizations.organization_rows
  FOR EACH ROW EXECUTE FUNCTION organizations.refuse_deleted_reference(
    'organizations.organization_rows', 'parent_id', 'organization_parent_exists');
CREATE TRIGGER merged_into_organization_live
  BEFORE INSERT OR UPDATE OF merged_into_id ON organizations.organization_rows
  FOR EACH ROW EXECUTE FUNCTION organizations.refuse_deleted_reference(
    'organizations.organization_rows', 'merged_into_id', 'organization_merged_into_exists');
CREATE TRIGGER member_count_organization_live
  BEFORE INSERT OR UPDATE OF organization_id ON organizations.member_counts
  FOR EACH ROW EXECUTE FUNCTION organizations.refuse_deleted_reference(
    'organizations.organization_rows', 'organization_id', 'member_count_organization_exists');
CREATE TRIGGER term_organization_live
  BEFORE INSERT OR UPDATE OF organization_id ON organizations.terms
  FOR EACH ROW EXECUTE FUNCTION organizations.refuse_deleted_reference(
    'organizations.organization_rows', 'organization_id', 'term_organization_exists');
CREATE TRIGGER partnership_organization_live
  BEFORE INSERT OR UPDATE OF organization_id ON organizations.partnerships
  FOR EACH ROW EXECUTE FUNCTION organizations.refuse_deleted_reference(
    'organizations.organization_rows', 'organization_id', 'partnership_organization_exists');

-- Its member counts went with a removed row, and stay with a kept one.
CREATE TRIGGER organization_delete_needs_no_dependants BEFORE UPDATE OF delete_time
  ON organizations.organization_rows FOR EACH ROW
  WHEN (OLD.delete_time IS NULL AND NEW.delete_time IS NOT NULL)
  EXECUTE FUNCTION organizations.refuse_delete_while_named(
    'organization_parent_exists',
    'SELECT 1 FROM organizations.organizations WHERE parent_id = $1',
    'organization_merged_into_exists',
    'SELECT 1 FROM organizations.organizations WHERE merged_into_id = $1',
    'term_organization_exists', 'SELECT 1 FROM organizations.terms WHERE organization_id = $1',
    'partnership_organization_exists',
    'SELECT 1 FROM organizations.partnerships WHERE organization_id = $1');
