-- Each document's communes with a report submitted, per locality, as one
-- array kept as the communes' counts change: a national rollout reads a
-- row per document and locality instead of one per commune (some 3,300).
-- Changed in place under the row's lock, never recomputed from a snapshot,
-- so two writers adding communes to one row both keep theirs.
CREATE TABLE reports.reporting_communes (
  document_id bigint NOT NULL,
  locality_id text NOT NULL,
  communes text[] NOT NULL,  -- commune codes, each once, in no order
  PRIMARY KEY (document_id, locality_id)
);

CREATE FUNCTION reports.keep_reporting_communes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- The triggers fire only when a commune starts or stops having a report
  -- (or its row changes key), so most filings never get here.
  IF TG_OP <> 'INSERT' AND OLD.reports > 0 THEN
    UPDATE reports.reporting_communes SET communes = array_remove(communes, OLD.commune_code)
     WHERE document_id = OLD.document_id AND locality_id = OLD.locality_id;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.reports > 0 THEN
    INSERT INTO reports.reporting_communes AS r (document_id, locality_id, communes)
    VALUES (NEW.document_id, NEW.locality_id, ARRAY[NEW.commune_code])
    ON CONFLICT (document_id, locality_id) DO UPDATE
      SET communes = CASE WHEN NEW.commune_code = ANY(r.communes) THEN r.communes
                          ELSE r.communes || NEW.commune_code END;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER commune_reports_reporting_inserted AFTER INSERT ON reports.commune_reports
  FOR EACH ROW WHEN (NEW.reports > 0)
  EXECUTE FUNCTION reports.keep_reporting_communes();
CREATE TRIGGER commune_reports_reporting_updated AFTER UPDATE ON reports.commune_reports
  FOR EACH ROW
  WHEN ((OLD.reports > 0) <> (NEW.reports > 0) OR OLD.document_id <> NEW.document_id
        OR OLD.locality_id <> NEW.locality_id OR OLD.commune_code <> NEW.commune_code)
  EXECUTE FUNCTION reports.keep_reporting_communes();
CREATE TRIGGER commune_reports_reporting_deleted AFTER DELETE ON reports.commune_reports
  FOR EACH ROW WHEN (OLD.reports > 0)
  EXECUTE FUNCTION reports.keep_reporting_communes();

INSERT INTO reports.reporting_communes (document_id, locality_id, communes)
SELECT document_id, locality_id, array_agg(commune_code ORDER BY commune_code)
  FROM reports.commune_reports WHERE reports > 0 GROUP BY 1, 2;
