-- caunoi:shared common/changes/change_log.sql

-- Tasks and what hangs below them belong to their document's locality.
CREATE OR REPLACE FUNCTION directives.change_locality(resource text, state jsonb) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT coalesce(
    state->>'locality',
    substring(state->>'commune' from '^localities/[^/]+'),
    (SELECT 'localities/' || d.locality_id FROM directives.document_rows d
      WHERE d.id = substring(resource from '^directives/(\d+)/')::bigint))
$$;

-- WatchDocuments now reads the change log of every resource; the
-- documents-only feed and its lock on every document write go.
DROP TRIGGER documents_record_change ON directives.document_rows;
DROP FUNCTION directives.record_document_change();
DROP TABLE directives.document_changes;
