-- Submitted reports counted per document, current locality, period and
-- timely days, kept by triggers, so compliance over millions of reports is
-- read from a few thousand rows. Timely days are part of the key because
-- they decide on time versus late and when a missing report turns overdue.
CREATE TABLE reports.report_tallies (
  document_id bigint NOT NULL,
  locality_id text NOT NULL,  -- '' for units with no locality
  period text NOT NULL,
  period_first date NOT NULL,
  timely_days integer NOT NULL,
  on_time bigint NOT NULL DEFAULT 0,
  late bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (document_id, locality_id, period, timely_days)
);

-- Adds (sign 1) or removes (sign -1) the submitted reports of one
-- obligation, given as rows of (period, period_first, period_last,
-- submitted_date), under the obligation's key.
CREATE FUNCTION reports.tally(obligation reports.obligations, sign integer,
                              periods text[], firsts date[], lasts date[], submitted date[])
RETURNS void LANGUAGE sql AS $$
  INSERT INTO reports.report_tallies AS t
    (document_id, locality_id, period, period_first, timely_days, on_time, late)
  SELECT obligation.document_id, coalesce(obligation.locality_id, ''), r.period, min(r.first),
         obligation.timely_days,
         sign * count(*) FILTER (WHERE r.submitted <= r.last + obligation.timely_days),
         sign * count(*) FILTER (WHERE r.submitted > r.last + obligation.timely_days)
  FROM unnest(periods, firsts, lasts, submitted) AS r (period, first, last, submitted)
  WHERE r.submitted IS NOT NULL
  GROUP BY r.period
  ON CONFLICT (document_id, locality_id, period, timely_days) DO UPDATE
    SET on_time = t.on_time + EXCLUDED.on_time, late = t.late + EXCLUDED.late
$$;

CREATE FUNCTION reports.tally_report() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  obligation reports.obligations;
BEGIN
  SELECT * INTO obligation FROM reports.obligations
    WHERE id = coalesce(NEW.obligation_id, OLD.obligation_id);
  IF TG_OP <> 'INSERT' THEN
    PERFORM reports.tally(obligation, -1, ARRAY[OLD.period], ARRAY[OLD.period_first],
                          ARRAY[OLD.period_last], ARRAY[OLD.submitted_date]);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM reports.tally(obligation, 1, ARRAY[NEW.period], ARRAY[NEW.period_first],
                          ARRAY[NEW.period_last], ARRAY[NEW.submitted_date]);
  END IF;
  RETURN NULL;
END $$;

-- Only changes to submission touch the tallies, so editing a report's text
-- takes no tally row lock.
CREATE TRIGGER reports_tally_insert AFTER INSERT ON reports.reports
  FOR EACH ROW WHEN (NEW.submitted_date IS NOT NULL) EXECUTE FUNCTION reports.tally_report();
CREATE TRIGGER reports_tally_update AFTER UPDATE OF submitted_date ON reports.reports
  FOR EACH ROW WHEN (OLD.submitted_date IS DISTINCT FROM NEW.submitted_date)
  EXECUTE FUNCTION reports.tally_report();
CREATE TRIGGER reports_tally_delete AFTER DELETE ON reports.reports
  FOR EACH ROW WHEN (OLD.submitted_date IS NOT NULL) EXECUTE FUNCTION reports.tally_report();

-- An obligation whose locality or timely days change moves its reports'
-- counts to the new key, recounting on time versus late.
CREATE FUNCTION reports.retally_obligation() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  periods text[]; firsts date[]; lasts date[]; submitted date[];
BEGIN
  SELECT array_agg(period), array_agg(period_first), array_agg(period_last),
         array_agg(submitted_date)
    INTO periods, firsts, lasts, submitted
    FROM reports.reports WHERE obligation_id = NEW.id AND submitted_date IS NOT NULL;
  IF periods IS NOT NULL THEN
    PERFORM reports.tally(OLD, -1, periods, firsts, lasts, submitted);
    PERFORM reports.tally(NEW, 1, periods, firsts, lasts, submitted);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER obligations_retally AFTER UPDATE OF locality_id, timely_days ON reports.obligations
  FOR EACH ROW
  WHEN (OLD.locality_id IS DISTINCT FROM NEW.locality_id
        OR OLD.timely_days IS DISTINCT FROM NEW.timely_days)
  EXECUTE FUNCTION reports.retally_obligation();

-- Reports filed before this table existed.
INSERT INTO reports.report_tallies
  (document_id, locality_id, period, period_first, timely_days, on_time, late)
SELECT o.document_id, coalesce(o.locality_id, ''), r.period, min(r.period_first), o.timely_days,
       count(*) FILTER (WHERE r.submitted_date <= r.period_last + o.timely_days),
       count(*) FILTER (WHERE r.submitted_date > r.period_last + o.timely_days)
FROM reports.reports r JOIN reports.obligations o ON o.id = r.obligation_id
WHERE r.submitted_date IS NOT NULL
GROUP BY 1, 2, 3, 5;

