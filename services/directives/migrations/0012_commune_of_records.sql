-- Documents and tasks may name a commune, ward or special zone of their
-- locality: a ward's own plan, a task a commune carries out. The code only:
-- the organizations service holds the list and checks it before a write.
ALTER TABLE directives.document_rows ADD COLUMN commune_code text
  CHECK (commune_code ~ '^[0-9]{5}$');
CREATE OR REPLACE VIEW directives.documents AS
  SELECT * FROM directives.document_rows WHERE delete_time IS NULL;
CREATE INDEX documents_by_commune ON directives.document_rows (commune_code, id)
  WHERE commune_code IS NOT NULL;
-- A task's commune is kept as its place, "01/00004", so that the database
-- itself holds it to the document's locality (a task is written knowing
-- only its document's name).
ALTER TABLE directives.tasks ADD COLUMN commune_place text NOT NULL DEFAULT ''
  CHECK (commune_place = '' OR commune_place ~ '^[0-9]{2}/[0-9]{5}$');
CREATE INDEX tasks_by_commune ON directives.tasks (commune_place, id) WHERE commune_place <> '';

CREATE FUNCTION directives.check_task_commune() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.commune_place <> '' AND split_part(NEW.commune_place, '/', 1) IS DISTINCT FROM
      (SELECT d.current_locality_id FROM directives.document_rows d WHERE d.id = NEW.document_id)
  THEN
    RAISE check_violation USING CONSTRAINT = 'task_commune_in_locality',
      MESSAGE = format('commune %s is outside the locality of directives/%s',
                       NEW.commune_place, NEW.document_id);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER task_commune_in_locality
  BEFORE INSERT OR UPDATE OF commune_place, document_id ON directives.tasks
  FOR EACH ROW EXECUTE FUNCTION directives.check_task_commune();

-- Tasks placed in a commune are tallied per commune as well, so a
-- province's rollout drills down to its communes from a few rows;
-- task_tallies still count every task per document for the national
-- figures. Outcome comes before the commune in the key: what communes have
-- done is read without the open tasks.
CREATE TABLE directives.commune_task_tallies (
  document_id bigint NOT NULL,
  outcome text NOT NULL,
  commune_code text NOT NULL,
  due_key date NOT NULL,
  tasks bigint NOT NULL,
  PRIMARY KEY (document_id, outcome, commune_code, due_key)
);

-- Adds the changed tasks, given column by column (change 1 for a row
-- added, -1 for one taken away), to both tallies, keys in order so that two
-- writers lock them in the same order.
CREATE FUNCTION directives.tally_task_changes(documents bigint[], places text[], dues date[],
                                              completions date[], changes integer[])
RETURNS void LANGUAGE sql AS $$
  WITH counted AS (
    SELECT m.document_id, split_part(m.place, '/', 2) AS commune_code,
           directives.task_outcome(m.due, m.completed) AS outcome,
           directives.task_due_key(m.due, m.completed) AS due_key, m.change
    FROM unnest(documents, places, dues, completions, changes)
      AS m (document_id, place, due, completed, change)),
  totals AS (
    INSERT INTO directives.task_tallies AS t (document_id, outcome, due_key, tasks)
    SELECT document_id, outcome, due_key, sum(change) FROM counted
    GROUP BY 1, 2, 3 HAVING sum(change) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (document_id, outcome, due_key) DO UPDATE SET tasks = t.tasks + EXCLUDED.tasks)
  INSERT INTO directives.commune_task_tallies AS c
    (document_id, outcome, commune_code, due_key, tasks)
  SELECT document_id, outcome, commune_code, due_key, sum(change) FROM counted
  WHERE commune_code <> ''
  GROUP BY 1, 2, 3, 4 HAVING sum(change) <> 0 ORDER BY 1, 2, 3, 4
  ON CONFLICT (document_id, outcome, commune_code, due_key)
    DO UPDATE SET tasks = c.tasks + EXCLUDED.tasks
$$;

-- A transition table exists only for the events that have it, hence one
-- statement per event; an update's rows come and go in one call, so that
-- what did not move writes nothing.
CREATE OR REPLACE FUNCTION directives.tally_tasks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM directives.tally_task_changes(array_agg(document_id), array_agg(commune_place),
      array_agg(due_date), array_agg(completed_date), array_agg(1)) FROM new_tasks;
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM directives.tally_task_changes(array_agg(document_id), array_agg(commune_place),
      array_agg(due_date), array_agg(completed_date), array_agg(-1)) FROM old_tasks;
  ELSE
    PERFORM directives.tally_task_changes(array_agg(document_id), array_agg(commune_place),
      array_agg(due_date), array_agg(completed_date), array_agg(change))
    FROM (SELECT *, 1 AS change FROM new_tasks UNION ALL SELECT *, -1 FROM old_tasks) moved;
  END IF;
  RETURN NULL;
END $$;
