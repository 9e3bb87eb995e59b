-- Each document's communes with a task of theirs done, as one array kept
-- as the communes' counts change: a national rollout reads a row per
-- document instead of one per document and commune (some 3,300), whose
-- finding, grouping and sending was half of PostgreSQL's work for it.
-- Changed in place under the row's lock, never recomputed from a snapshot,
-- so two writers adding communes to one document both keep theirs.
CREATE TABLE directives.acting_communes (
  document_id bigint PRIMARY KEY,
  communes text[] NOT NULL  -- commune codes, each once, in no order
);

CREATE FUNCTION directives.keep_acting_communes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- The triggers fire only when a commune starts or stops having a task
  -- done, so most task writes never get here.
  IF TG_OP <> 'DELETE' AND NEW.done_on_time + NEW.done_late > 0 THEN
    INSERT INTO directives.acting_communes AS a (document_id, communes)
    VALUES (NEW.document_id, ARRAY[NEW.commune_code])
    ON CONFLICT (document_id) DO UPDATE
      SET communes = CASE WHEN NEW.commune_code = ANY(a.communes) THEN a.communes
                          ELSE a.communes || NEW.commune_code END;
  ELSE
    UPDATE directives.acting_communes SET communes = array_remove(communes, OLD.commune_code)
     WHERE document_id = OLD.document_id;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER commune_task_counts_acting_inserted AFTER INSERT ON directives.commune_task_counts
  FOR EACH ROW WHEN (NEW.done_on_time + NEW.done_late > 0)
  EXECUTE FUNCTION directives.keep_acting_communes();
CREATE TRIGGER commune_task_counts_acting_updated AFTER UPDATE ON directives.commune_task_counts
  FOR EACH ROW
  WHEN ((OLD.done_on_time + OLD.done_late > 0) <> (NEW.done_on_time + NEW.done_late > 0))
  EXECUTE FUNCTION directives.keep_acting_communes();
CREATE TRIGGER commune_task_counts_acting_deleted AFTER DELETE ON directives.commune_task_counts
  FOR EACH ROW WHEN (OLD.done_on_time + OLD.done_late > 0)
  EXECUTE FUNCTION directives.keep_acting_communes();

INSERT INTO directives.acting_communes (document_id, communes)
SELECT document_id, array_agg(commune_code ORDER BY commune_code)
  FROM directives.commune_task_counts WHERE done_on_time + done_late > 0 GROUP BY 1;
