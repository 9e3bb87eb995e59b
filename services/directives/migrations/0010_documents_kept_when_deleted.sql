-- A deleted document stays, marked with its delete_time, so what other
-- services record about it (the reports service's duties and reports)
-- keeps resolving. The rows move to directives.document_rows;
-- directives.documents becomes the view of the live ones, which every
-- statement reads and writes through, so nothing else changes. A later
-- migration adding a column to document_rows recreates the view.
ALTER TABLE directives.documents RENAME TO document_rows;
ALTER TABLE directives.document_rows ADD COLUMN delete_time timestamptz;
CREATE VIEW directives.documents AS
  SELECT * FROM directives.document_rows WHERE delete_time IS NULL;

-- A deleted document's symbol may be entered again.
DROP INDEX directives.document_identity_by_issuer;
CREATE UNIQUE INDEX document_identity_by_issuer ON directives.document_rows
  (issuing_organization_id, normalized_symbol, date_part('year', issue_date))
  WHERE issuing_organization_id IS NOT NULL AND delete_time IS NULL;
DROP INDEX directives.document_identity;
CREATE UNIQUE INDEX document_identity ON directives.document_rows
  (coalesce(locality_id, ''), directives.fold_text(issuing_body), normalized_symbol,
   date_part('year', issue_date))
  WHERE issuing_organization_id IS NULL AND delete_time IS NULL;

-- What the foreign keys held, kept (common/resource/kept_when_deleted.sql).
CREATE TRIGGER task_document_live BEFORE INSERT OR UPDATE OF document_id ON directives.tasks
  FOR EACH ROW EXECUTE FUNCTION directives.refuse_deleted_reference(
    'directives.document_rows', 'document_id', 'task_document_exists');
CREATE TRIGGER event_document_live
  BEFORE INSERT OR UPDATE OF document_id ON directives.dissemination_events
  FOR EACH ROW EXECUTE FUNCTION directives.refuse_deleted_reference(
    'directives.document_rows', 'document_id', 'event_document_exists');
CREATE TRIGGER parent_document_live
  BEFORE INSERT OR UPDATE OF parent_id ON directives.document_links
  FOR EACH ROW EXECUTE FUNCTION directives.refuse_deleted_reference(
    'directives.document_rows', 'parent_id', 'document_parent_exists');
CREATE TRIGGER superseding_document_live
  BEFORE INSERT OR UPDATE OF superseded_by_id ON directives.document_rows
  FOR EACH ROW EXECUTE FUNCTION directives.refuse_deleted_reference(
    'directives.document_rows', 'superseded_by_id', 'document_superseded_by_exists');

CREATE TRIGGER document_delete_needs_no_dependants BEFORE UPDATE OF delete_time
  ON directives.document_rows FOR EACH ROW
  WHEN (OLD.delete_time IS NULL AND NEW.delete_time IS NOT NULL)
  EXECUTE FUNCTION directives.refuse_delete_while_named(
    'task_document_exists', 'SELECT 1 FROM directives.tasks WHERE document_id = $1',
    'event_document_exists',
    'SELECT 1 FROM directives.dissemination_events WHERE document_id = $1',
    'document_parent_exists',
    'SELECT 1 FROM directives.document_links l JOIN directives.documents c ON c.id = l.child_id'
    ' WHERE l.parent_id = $1',
    'document_superseded_by_exists',
    'SELECT 1 FROM directives.documents WHERE superseded_by_id = $1');

-- The change feed says "delete" when a document is marked deleted.
CREATE OR REPLACE FUNCTION directives.record_document_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  action text := CASE TG_OP WHEN 'INSERT' THEN 'create' WHEN 'UPDATE' THEN 'update' ELSE 'delete' END;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.delete_time IS NULL AND NEW.delete_time IS NOT NULL THEN
      action := 'delete';
    END IF;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('directives.document_changes'));
  INSERT INTO directives.document_changes (document_id, action)
    VALUES (CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END, action);
  RETURN NULL;
END $$;
