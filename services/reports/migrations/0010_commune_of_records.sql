-- Duties, reports and activities below the province: an obligation carries
-- its reporting unit's commune (set from the registry, as its locality is),
-- an activity the commune where it happened. Codes only: the organizations
-- service holds the list.
ALTER TABLE reports.obligations ADD COLUMN commune_code text CHECK (commune_code ~ '^[0-9]{5}$');
CREATE INDEX obligations_by_commune ON reports.obligations (commune_code, id)
  WHERE commune_code IS NOT NULL;
ALTER TABLE reports.activities ADD COLUMN commune_code text CHECK (commune_code ~ '^[0-9]{5}$');
CREATE INDEX activities_by_commune ON reports.activities (commune_code, id)
  WHERE commune_code IS NOT NULL;

-- The tallies are kept per commune too ('' for the locality as a whole), so
-- a province's compliance drills down to its communes from a few rows. The
-- national figures read submitted reports summed per locality, and which
-- communes have reported on a document at all, from two smaller tallies.
ALTER TABLE reports.report_tallies ADD COLUMN commune_code text NOT NULL DEFAULT '';
ALTER TABLE reports.report_tallies DROP CONSTRAINT report_tallies_pkey,
  ADD PRIMARY KEY (document_id, locality_id, commune_code, period, timely_days);
ALTER TABLE reports.obligation_groups ADD COLUMN commune_code text NOT NULL DEFAULT '';
ALTER TABLE reports.obligation_groups DROP CONSTRAINT obligation_groups_pkey,
  ADD PRIMARY KEY (document_id, locality_id, commune_code, first_period, last_period, timely_days);

CREATE TABLE reports.locality_report_tallies (
  document_id bigint NOT NULL,
  locality_id text NOT NULL,  -- '' for units with no locality
  period text NOT NULL,
  period_first date NOT NULL,
  timely_days integer NOT NULL,
  on_time bigint NOT NULL DEFAULT 0,
  late bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (document_id, locality_id, period, timely_days)
);
INSERT INTO reports.locality_report_tallies
SELECT document_id, locality_id, period, min(period_first), timely_days, sum(on_time), sum(late)
FROM reports.report_tallies GROUP BY 1, 2, 3, 5;
CREATE TABLE reports.commune_reports (
  document_id bigint NOT NULL,
  locality_id text NOT NULL,
  commune_code text NOT NULL,
  reports bigint NOT NULL,
  PRIMARY KEY (document_id, locality_id, commune_code)
);

CREATE OR REPLACE FUNCTION reports.tally(obligation reports.obligations, sign integer,
                                         periods text[], firsts date[], lasts date[],
                                         submitted date[])
RETURNS void LANGUAGE sql AS $$
  INSERT INTO reports.report_tallies AS t
    (document_id, locality_id, commune_code, period, period_first, timely_days, on_time, late)
  SELECT obligation.document_id, coalesce(obligation.locality_id, ''),
         coalesce(obligation.commune_code, ''), r.period, min(r.first), obligation.timely_days,
         sign * count(*) FILTER (WHERE r.submitted <= r.last + obligation.timely_days),
         sign * count(*) FILTER (WHERE r.submitted > r.last + obligation.timely_days)
  FROM unnest(periods, firsts, lasts, submitted) AS r (period, first, last, submitted)
  WHERE r.submitted IS NOT NULL
  GROUP BY r.period
  ON CONFLICT (document_id, locality_id, commune_code, period, timely_days) DO UPDATE
    SET on_time = t.on_time + EXCLUDED.on_time, late = t.late + EXCLUDED.late;
  INSERT INTO reports.locality_report_tallies AS t
    (document_id, locality_id, period, period_first, timely_days, on_time, late)
  SELECT obligation.document_id, coalesce(obligation.locality_id, ''), r.period, min(r.first),
         obligation.timely_days,
         sign * count(*) FILTER (WHERE r.submitted <= r.last + obligation.timely_days),
         sign * count(*) FILTER (WHERE r.submitted > r.last + obligation.timely_days)
  FROM unnest(periods, firsts, lasts, submitted) AS r (period, first, last, submitted)
  WHERE r.submitted IS NOT NULL
  GROUP BY r.period
  ON CONFLICT (document_id, locality_id, period, timely_days) DO UPDATE
    SET on_time = t.on_time + EXCLUDED.on_time, late = t.late + EXCLUDED.late;
  INSERT INTO reports.commune_reports AS c (document_id, locality_id, commune_code, reports)
  SELECT obligation.document_id, coalesce(obligation.locality_id, ''), obligation.commune_code,
         sign * count(*)
  FROM unnest(submitted) AS r (submitted)
  WHERE r.submitted IS NOT NULL AND obligation.commune_code IS NOT NULL
  HAVING count(*) > 0
  ON CONFLICT (document_id, locality_id, commune_code) DO UPDATE
    SET reports = c.reports + EXCLUDED.reports
$$;

CREATE OR REPLACE FUNCTION reports.count_obligation(o reports.obligations, sign integer)
RETURNS void LANGUAGE sql AS $$
  INSERT INTO reports.obligation_groups AS g
    (document_id, locality_id, commune_code, first_period, first_day, last_period, timely_days,
     obligations)
  VALUES (o.document_id, coalesce(o.locality_id, ''), coalesce(o.commune_code, ''),
          o.first_period, o.first_day, coalesce(o.last_period, ''), o.timely_days, sign)
  ON CONFLICT (document_id, locality_id, commune_code, first_period, last_period, timely_days)
    DO UPDATE SET obligations = g.obligations + EXCLUDED.obligations
$$;

DROP TRIGGER obligations_retally ON reports.obligations;
CREATE TRIGGER obligations_retally
  AFTER UPDATE OF locality_id, commune_code, timely_days ON reports.obligations
  FOR EACH ROW
  WHEN (OLD.locality_id IS DISTINCT FROM NEW.locality_id
        OR OLD.commune_code IS DISTINCT FROM NEW.commune_code
        OR OLD.timely_days IS DISTINCT FROM NEW.timely_days)
  EXECUTE FUNCTION reports.retally_obligation();
