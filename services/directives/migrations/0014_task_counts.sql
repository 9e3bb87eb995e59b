-- Tasks per document by status in one row: done on time, done late, and
-- open split at a horizon day (those due before it, and the rest with those
-- that have no due date). Whether a task is overdue depends on today, so a
-- reader adds the open tallies due between the horizon and today; the
-- directives server moves the horizon to today (advance_task_horizon), so
-- that a reader reads one row per document and at most a day of due dates.
-- Correct however old the horizon is: only the range a reader adds grows.
CREATE TABLE directives.task_horizon (
  single boolean PRIMARY KEY DEFAULT true CHECK (single),
  day date NOT NULL
);
INSERT INTO directives.task_horizon (day)
  VALUES (((now() AT TIME ZONE 'UTC') + interval '7 hours')::date);

CREATE TABLE directives.task_counts (
  document_id bigint PRIMARY KEY,
  before_horizon bigint NOT NULL,  -- open, due before the horizon day
  from_horizon bigint NOT NULL,    -- open, due on or after it, or with no due date
  done_on_time bigint NOT NULL,
  done_late bigint NOT NULL
);

-- The open tallies due in a range of days, across documents: what moves
-- when the horizon does, and the days a national summary adds.
CREATE INDEX task_tallies_open_by_due ON directives.task_tallies (due_key, document_id)
  WHERE outcome = 'OPEN';

CREATE OR REPLACE FUNCTION directives.tally_task_changes(documents bigint[], places text[],
                                                         dues date[], completions date[],
                                                         changes integer[])
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
    ON CONFLICT (document_id, outcome, due_key) DO UPDATE SET tasks = t.tasks + EXCLUDED.tasks),
  counts AS (
    INSERT INTO directives.task_counts AS o
      (document_id, before_horizon, from_horizon, done_on_time, done_late)
    SELECT document_id,
           coalesce(sum(change) FILTER (WHERE outcome = 'OPEN' AND due_key < h.day), 0),
           coalesce(sum(change) FILTER (WHERE outcome = 'OPEN' AND due_key >= h.day), 0),
           coalesce(sum(change) FILTER (WHERE outcome = 'DONE_ON_TIME'), 0),
           coalesce(sum(change) FILTER (WHERE outcome = 'DONE_LATE'), 0)
      FROM counted CROSS JOIN directives.task_horizon h
    GROUP BY 1 ORDER BY 1
    ON CONFLICT (document_id) DO UPDATE
      SET before_horizon = o.before_horizon + EXCLUDED.before_horizon,
          from_horizon = o.from_horizon + EXCLUDED.from_horizon,
          done_on_time = o.done_on_time + EXCLUDED.done_on_time,
          done_late = o.done_late + EXCLUDED.done_late)
  INSERT INTO directives.commune_task_tallies AS c
    (document_id, outcome, commune_code, due_key, tasks)
  SELECT document_id, outcome, commune_code, due_key, sum(change) FROM counted
  WHERE commune_code <> ''
  GROUP BY 1, 2, 3, 4 HAVING sum(change) <> 0 ORDER BY 1, 2, 3, 4
  ON CONFLICT (document_id, outcome, commune_code, due_key)
    DO UPDATE SET tasks = c.tasks + EXCLUDED.tasks
$$;

-- The horizon row is share-locked before anything is counted, so a move
-- of the horizon (which locks it for update) waits for the writers that
-- counted with the old day to commit, and the writers after it count with
-- the new one.
CREATE OR REPLACE FUNCTION directives.tally_tasks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM directives.task_horizon FOR SHARE;
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

-- Moves the horizon to `to_day`, moving the open tasks due in between from
-- one side to the other. Each statement reads afresh: the second sees every
-- writer that counted with the old day, since the first waited for them.
CREATE FUNCTION directives.advance_task_horizon(to_day date) RETURNS date
LANGUAGE plpgsql AS $$
DECLARE
  from_day date;
BEGIN
  SELECT day INTO from_day FROM directives.task_horizon FOR UPDATE;
  IF from_day = to_day THEN
    RETURN from_day;
  END IF;
  INSERT INTO directives.task_counts AS o
    (document_id, before_horizon, from_horizon, done_on_time, done_late)
  SELECT document_id, sign(to_day - from_day) * sum(tasks),
         -sign(to_day - from_day) * sum(tasks), 0, 0
    FROM directives.task_tallies
   WHERE outcome = 'OPEN' AND due_key >= least(from_day, to_day)
     AND due_key < greatest(from_day, to_day)
   GROUP BY 1 HAVING sum(tasks) <> 0 ORDER BY 1
  ON CONFLICT (document_id) DO UPDATE
    SET before_horizon = o.before_horizon + EXCLUDED.before_horizon,
        from_horizon = o.from_horizon + EXCLUDED.from_horizon;
  UPDATE directives.task_horizon SET day = to_day;
  RETURN to_day;
END $$;

INSERT INTO directives.task_counts
  (document_id, before_horizon, from_horizon, done_on_time, done_late)
SELECT document_id,
       coalesce(sum(tasks) FILTER (WHERE outcome = 'OPEN' AND due_key < h.day), 0),
       coalesce(sum(tasks) FILTER (WHERE outcome = 'OPEN' AND due_key >= h.day), 0),
       coalesce(sum(tasks) FILTER (WHERE outcome = 'DONE_ON_TIME'), 0),
       coalesce(sum(tasks) FILTER (WHERE outcome = 'DONE_LATE'), 0)
  FROM directives.task_tallies CROSS JOIN directives.task_horizon h GROUP BY 1;
