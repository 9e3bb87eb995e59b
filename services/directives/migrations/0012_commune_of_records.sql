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

-- Tasks are tallied per commune too ('' for the locality as a whole), so a
-- province's rollout drills down to its communes from the tallies.
ALTER TABLE directives.task_tallies ADD COLUMN commune_code text NOT NULL DEFAULT '';
ALTER TABLE directives.task_tallies DROP CONSTRAINT task_tallies_pkey,
  ADD PRIMARY KEY (document_id, commune_code, outcome, due_key);

-- As before, with the commune in the key. A transition table exists only
-- for the events that have it, hence one branch per event.
CREATE OR REPLACE FUNCTION directives.tally_tasks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO directives.task_tallies AS t (document_id, commune_code, outcome, due_key, tasks)
    SELECT document_id, split_part(commune_place, '/', 2),
           directives.task_outcome(due_date, completed_date),
           directives.task_due_key(due_date, completed_date), count(*)
      FROM new_tasks GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (document_id, commune_code, outcome, due_key)
      DO UPDATE SET tasks = t.tasks + EXCLUDED.tasks;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO directives.task_tallies AS t (document_id, commune_code, outcome, due_key, tasks)
    SELECT document_id, split_part(commune_place, '/', 2),
           directives.task_outcome(due_date, completed_date),
           directives.task_due_key(due_date, completed_date), -count(*)
      FROM old_tasks GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (document_id, commune_code, outcome, due_key)
      DO UPDATE SET tasks = t.tasks + EXCLUDED.tasks;
  ELSE
    INSERT INTO directives.task_tallies AS t (document_id, commune_code, outcome, due_key, tasks)
    SELECT document_id, commune_code, outcome, due_key, sum(change) FROM (
        SELECT document_id, split_part(commune_place, '/', 2) AS commune_code,
               directives.task_outcome(due_date, completed_date) AS outcome,
               directives.task_due_key(due_date, completed_date) AS due_key, 1 AS change
          FROM new_tasks
        UNION ALL
        SELECT document_id, split_part(commune_place, '/', 2),
               directives.task_outcome(due_date, completed_date),
               directives.task_due_key(due_date, completed_date), -1
          FROM old_tasks) moved
      GROUP BY 1, 2, 3, 4 HAVING sum(change) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT (document_id, commune_code, outcome, due_key)
      DO UPDATE SET tasks = t.tasks + EXCLUDED.tasks;
  END IF;
  RETURN NULL;
END $$;
