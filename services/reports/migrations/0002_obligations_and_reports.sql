-- Reporting obligations and the reports that meet them. Documents and
-- organizations belong to other services: they are checked there at write
-- time and stored as ids, never joined.

-- caunoi:shared common/resource/fold_text.sql

CREATE TABLE reports.obligations (
  id bigserial PRIMARY KEY,
  document_id bigint NOT NULL,
  unit_id bigint NOT NULL,
  locality_id text,
  cadence text NOT NULL,
  cutoff_day integer NOT NULL DEFAULT 0 CHECK (cutoff_day BETWEEN 0 AND 28),
  timely_days integer NOT NULL CHECK (timely_days BETWEEN 0 AND 366),
  first_period text NOT NULL,
  first_day date NOT NULL,
  last_period text,
  last_day date,
  revision bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT obligation_unique UNIQUE (document_id, unit_id),
  CHECK (last_day IS NULL OR last_day >= first_day)
);

CREATE INDEX obligations_by_locality ON reports.obligations (locality_id, id);

-- The four-way status shared with tasks, against the due date.
CREATE FUNCTION reports.timeliness(submitted date, due date, today date) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN CASE
    WHEN submitted IS NOT NULL AND submitted <= due THEN 'ON_TIME'
    WHEN submitted IS NOT NULL THEN 'LATE'
    WHEN today <= due THEN 'MISSING_WITHIN_DEADLINE'
    ELSE 'MISSING_OVERDUE'
  END;

CREATE TABLE reports.reports (
  id bigserial PRIMARY KEY,
  obligation_id bigint NOT NULL CONSTRAINT report_obligation_exists
    REFERENCES reports.obligations (id),
  period text NOT NULL,
  period_first date NOT NULL,
  period_last date NOT NULL,
  summary text NOT NULL DEFAULT '',
  dissemination_sessions bigint NOT NULL DEFAULT 0 CHECK (dissemination_sessions >= 0),
  dissemination_attendance bigint NOT NULL DEFAULT 0 CHECK (dissemination_attendance >= 0),
  cadres_trained bigint NOT NULL DEFAULT 0 CHECK (cadres_trained >= 0),
  activities_held bigint NOT NULL DEFAULT 0 CHECK (activities_held >= 0),
  delegations_received bigint NOT NULL DEFAULT 0 CHECK (delegations_received >= 0),
  delegations_sent bigint NOT NULL DEFAULT 0 CHECK (delegations_sent >= 0),
  new_partnerships bigint NOT NULL DEFAULT 0 CHECK (new_partnerships >= 0),
  members bigint NOT NULL DEFAULT 0 CHECK (members >= 0),
  funds_vnd bigint NOT NULL DEFAULT 0 CHECK (funds_vnd >= 0),
  difficulties text NOT NULL DEFAULT '',
  proposals text NOT NULL DEFAULT '',
  state text NOT NULL DEFAULT 'DRAFT'
    CHECK (state IN ('DRAFT', 'SUBMITTED', 'ACCEPTED', 'RETURNED')),
  submitted_date date,
  review_comment text NOT NULL DEFAULT '',
  revision bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT report_period_unique UNIQUE (obligation_id, period)
);

CREATE INDEX reports_by_period ON reports.reports (period_first, id);
