-- Tasks counted per document, outcome and due date, kept by statement
-- triggers, so the per-locality task aggregates read a few rows per document
-- instead of every task. Done tasks are on time or late for good; an open
-- task turns overdue as days pass, so open tasks keep their due date
-- ('infinity' when they have none) and the reader compares it with today.
CREATE TABLE directives.task_tallies (
  document_id bigint NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('DONE_ON_TIME', 'DONE_LATE', 'OPEN')),
  due_key date NOT NULL,
  tasks bigint NOT NULL,
  PRIMARY KEY (document_id, outcome, due_key)
);

CREATE FUNCTION directives.task_outcome(due date, completed date) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN CASE
    WHEN completed IS NULL THEN 'OPEN'
    WHEN due IS NULL OR completed <= due THEN 'DONE_ON_TIME'
    ELSE 'DONE_LATE'
  END;

CREATE FUNCTION directives.task_due_key(due date, completed date) RETURNS date
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN CASE WHEN completed IS NULL THEN coalesce(due, 'infinity') ELSE 'infinity' END;

-- Adds the rows of new_tasks and takes away those of old_tasks (either may
-- be absent for the trigger's event). Keys are written in order so that two
-- writers touching the same tallies lock them in the same order.
CREATE FUNCTION directives.tally_tasks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO directives.task_tallies AS t (document_id, outcome, due_key, tasks)
    SELECT document_id, directives.task_outcome(due_date, completed_date),
           directives.task_due_key(due_date, completed_date), count(*)
      FROM new_tasks GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (document_id, outcome, due_key) DO UPDATE SET tasks = t.tasks + EXCLUDED.tasks;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO directives.task_tallies AS t (document_id, outcome, due_key, tasks)
    SELECT document_id, directives.task_outcome(due_date, completed_date),
           directives.task_due_key(due_date, completed_date), -count(*)
      FROM old_tasks GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (document_id, outcome, due_key) DO UPDATE SET tasks = t.tasks + EXCLUDED.tasks;
  ELSE
    INSERT INTO directives.task_tallies AS t (document_id, outcome, due_key, tasks)
    SELECT document_id, outcome, due_key, sum(change) FROM (
        SELECT document_id, directives.task_outcome(due_date, completed_date) AS outcome,
               directives.task_due_key(due_date, completed_date) AS due_key, 1 AS change
          FROM new_tasks
        UNION ALL
        SELECT document_id, directives.task_outcome(due_date, completed_date),
               directives.task_due_key(due_date, completed_date), -1
          FROM old_tasks) moved
      GROUP BY 1, 2, 3 HAVING sum(change) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (document_id, outcome, due_key) DO UPDATE SET tasks = t.tasks + EXCLUDED.tasks;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER tasks_tally_insert AFTER INSERT ON directives.tasks
  REFERENCING NEW TABLE AS new_tasks
  FOR EACH STATEMENT EXECUTE FUNCTION directives.tally_tasks();
CREATE TRIGGER tasks_tally_update AFTER UPDATE ON directives.tasks
  REFERENCING OLD TABLE AS old_tasks NEW TABLE AS new_tasks
  FOR EACH STATEMENT EXECUTE FUNCTION directives.tally_tasks();
CREATE TRIGGER tasks_tally_delete AFTER DELETE ON directives.tasks
  REFERENCING OLD TABLE AS old_tasks
  FOR EACH STATEMENT EXECUTE FUNCTION directives.tally_tasks();

INSERT INTO directives.task_tallies (document_id, outcome, due_key, tasks)
SELECT document_id, directives.task_outcome(due_date, completed_date),
       directives.task_due_key(due_date, completed_date), count(*)
  FROM directives.tasks GROUP BY 1, 2, 3;
