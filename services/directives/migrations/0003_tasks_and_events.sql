-- Tasks inside a document, their progress entries, and dissemination
-- events. A task's status is derived from its dates on every read.
CREATE FUNCTION directives.task_status(due date, completed date, today date) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN CASE
    WHEN completed IS NOT NULL AND (due IS NULL OR completed <= due) THEN 'DONE_ON_TIME'
    WHEN completed IS NOT NULL THEN 'DONE_LATE'
    WHEN due IS NOT NULL AND due < today THEN 'OPEN_OVERDUE'
    ELSE 'OPEN_WITHIN_DEADLINE'
  END;

CREATE TABLE directives.tasks (
  id bigserial PRIMARY KEY,
  document_id bigint NOT NULL CONSTRAINT task_document_exists
    REFERENCES directives.documents (id),
  number text NOT NULL CHECK (btrim(number) <> ''),
  title text NOT NULL CHECK (btrim(title) <> ''),
  description text NOT NULL DEFAULT '',
  lead_id bigint,
  co_operator_ids bigint[] NOT NULL DEFAULT '{}',
  phase text,
  due_date date,
  reporting_cadence text,
  cutoff_day integer CHECK (cutoff_day BETWEEN 0 AND 28),
  completed_date date,
  revision bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT task_number_unique UNIQUE (document_id, number)
);

CREATE INDEX tasks_by_lead ON directives.tasks (lead_id, id);
CREATE INDEX tasks_by_co_operator ON directives.tasks USING gin (co_operator_ids);
CREATE INDEX tasks_by_due_date ON directives.tasks (due_date) WHERE completed_date IS NULL;

CREATE TABLE directives.progress_updates (
  id bigserial PRIMARY KEY,
  task_id bigint NOT NULL REFERENCES directives.tasks (id) ON DELETE CASCADE,
  note text NOT NULL DEFAULT '',
  percent integer NOT NULL CHECK (percent BETWEEN 0 AND 100),
  author text NOT NULL DEFAULT '',
  revision bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX progress_latest ON directives.progress_updates (task_id, id DESC);

CREATE TABLE directives.dissemination_events (
  id bigserial PRIMARY KEY,
  document_id bigint NOT NULL CONSTRAINT event_document_exists
    REFERENCES directives.documents (id),
  organizer_id bigint,
  date date NOT NULL,
  format text NOT NULL,
  audience text NOT NULL DEFAULT '',
  head_count bigint NOT NULL CHECK (head_count BETWEEN 0 AND 100000000),
  at_least boolean NOT NULL DEFAULT false,
  locality_id text,
  revision bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX events_by_document ON directives.dissemination_events (document_id, id);
