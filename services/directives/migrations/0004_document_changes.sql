-- The change feed behind WatchDocuments: one row per write to a document,
-- numbered in commit order. The lock makes a writer that took a number
-- commit before the next writer can take one, so a reader that has seen
-- number n has seen every change up to n (no late commits behind a cursor).
CREATE TABLE directives.document_changes (
  seq bigserial PRIMARY KEY,
  document_id bigint NOT NULL,
  action text NOT NULL CHECK (action IN ('create', 'update', 'delete')),
  time timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION directives.record_document_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('directives.document_changes'));
  INSERT INTO directives.document_changes (document_id, action)
    VALUES (CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END,
            CASE TG_OP WHEN 'INSERT' THEN 'create' WHEN 'UPDATE' THEN 'update' ELSE 'delete' END);
  RETURN NULL;
END $$;

CREATE TRIGGER documents_record_change
  AFTER INSERT OR UPDATE OR DELETE ON directives.documents
  FOR EACH ROW EXECUTE FUNCTION directives.record_document_change();
