-- A document's issuer is an organization of the registry: the same issuer,
-- normalized symbol and year is one document however its issuing body is
-- worded. Documents recorded before an issuer had to be named keep the old
-- key (locality and folded body) until one is named for them.
DO $$
DECLARE
  clash text;
BEGIN
  SELECT string_agg(ids, '; ') INTO clash FROM (
    SELECT string_agg('directives/' || id, ', ' ORDER BY id) AS ids
    FROM directives.documents WHERE issuing_organization_id IS NOT NULL
    GROUP BY issuing_organization_id, normalized_symbol, date_part('year', issue_date)
    HAVING count(*) > 1) duplicates;
  IF clash IS NOT NULL THEN
    RAISE EXCEPTION 'documents recorded twice under one issuer: %', clash
      USING HINT = 'delete or correct one of each group, then start the server again';
  END IF;
END $$;

CREATE UNIQUE INDEX document_identity_by_issuer ON directives.documents
  (issuing_organization_id, normalized_symbol, date_part('year', issue_date))
  WHERE issuing_organization_id IS NOT NULL;

DROP INDEX directives.document_identity;
CREATE UNIQUE INDEX document_identity ON directives.documents
  (coalesce(locality_id, ''), directives.fold_text(issuing_body), normalized_symbol,
   date_part('year', issue_date))
  WHERE issuing_organization_id IS NULL;
