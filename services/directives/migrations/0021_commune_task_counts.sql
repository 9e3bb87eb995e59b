-- Tasks per document and commune by status in one row, split at the task
-- horizon as task_counts are: a province's drill-down reads a row per
-- commune, and a national rollout the communes that acted, instead of a
-- row per commune, status and due date.
CREATE TABLE directives.commune_task_counts (
  document_id bigint NOT NULL,
  commune_code text NOT NULL,
  before_horizon bigint NOT NULL,  -- open, due before the horizon day
  from_horizon bigint NOT NULL,    -- open, due on or after it, or with no due date
  done_on_time bigint NOT NULL,
  done_late bigint NOT NULL,
  PRIMARY KEY (document_id, commune_code)
);

-- The communes' open tallies due in a range of days: what moves when the
-- horizon does, and the days a drill-down adds.
CREATE INDEX commune_task_tallies_open_by_due ON directives.commune_task_tallies
  (due_key, document_id) WHERE outcome = 'OPEN';

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
          done_late = o.done_late + EXCLUDED.done_late),
  commune_counts AS (
    INSERT INTO directives.commune_task_counts AS o
      (document_id, commune_code, before_horizon, from_horizon, done_on_time, done_late)
    SELECT document_id, commune_code,
           coalesce(sum(change) FILTER (WHERE outcome = 'OPEN' AND due_key < h.day), 0),
           coalesce(sum(change) FILTER (WHERE outcome = 'OPEN' AND due_key >= h.day), 0),
           coalesce(sum(change) FILTER (WHERE outcome = 'DONE_ON_TIME'), 0),
           coalesce(sum(change) FILTER (WHERE outcome = 'DONE_LATE'), 0)
      FROM counted CROSS JOIN directives.task_horizon h
    WHERE commune_code <> ''
    GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (document_id, commune_code) DO UPDATE
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

-- As before, with the communes' counts moved alongside their documents'.
CREATE OR REPLACE FUNCTION directives.advance_task_horizon(to_day date) RETURNS date
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
  INSERT INTO directives.commune_task_counts AS o
    (document_id, commune_code, before_horizon, from_horizon, done_on_time, done_late)
  SELECT document_id, commune_code, sign(to_day - from_day) * sum(tasks),
         -sign(to_day - from_day) * sum(tasks), 0, 0
    FROM directives.commune_task_tallies
   WHERE outcome = 'OPEN' AND due_key >= least(from_day, to_day)
     AND due_key < greatest(from_day, to_day)
   GROUP BY 1, 2 HAVING sum(tasks) <> 0 ORDER BY 1, 2
  ON CONFLICT (document_id, commune_code) DO UPDATE
    SET before_horizon = o.before_horizon + EXCLUDED.before_horizon,
        from_horizon = o.from_horizon + EXCLUDED.from_horizon;
  UPDATE directives.task_horizon SET day = to_day;
  RETURN to_day;
END $$;

INSERT INTO directives.commune_task_counts
  (document_id, commune_code, before_horizon, from_horizon, done_on_time, done_late)
SELECT document_id, commune_code,
       coalesce(sum(tasks) FILTER (WHERE outcome = 'OPEN' AND due_key < h.day), 0),
       coalesce(sum(tasks) FILTER (WHERE outcome = 'OPEN' AND due_key >= h.day), 0),
       coalesce(sum(tasks) FILTER (WHERE outcome = 'DONE_ON_TIME'), 0),
       coalesce(sum(tasks) FILTER (WHERE outcome = 'DONE_LATE'), 0)
  FROM directives.commune_task_tallies CROSS JOIN directives.task_horizon h GROUP BY 1, 2;
