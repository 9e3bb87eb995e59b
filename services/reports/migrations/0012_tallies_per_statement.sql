-- Reports inserted many at a time (a batch of filings, a spreadsheet of
-- 10,000 rows) are added to the tallies once per statement, grouped by
-- tally row, instead of once per report: row by row, thousands of reports
-- updated the same few tally rows thousands of times in one transaction,
-- and an import of 10,000 submitted reports took ten times as long as one
-- of drafts. Updates and deletes, one report at a time, keep their
-- per-row triggers.
DROP TRIGGER reports_tally_insert ON reports.reports;
DROP TRIGGER reports_indicators_insert ON reports.reports;

CREATE FUNCTION reports.tally_inserted_reports() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO reports.report_tallies AS t
    (document_id, locality_id, commune_code, period, period_first, timely_days, on_time, late)
  SELECT o.document_id, coalesce(o.locality_id, ''), coalesce(o.commune_code, ''), r.period,
         min(r.period_first), o.timely_days,
         count(*) FILTER (WHERE r.submitted_date <= r.period_last + o.timely_days),
         count(*) FILTER (WHERE r.submitted_date > r.period_last + o.timely_days)
  FROM inserted r JOIN reports.obligations o ON o.id = r.obligation_id
  WHERE r.submitted_date IS NOT NULL
  GROUP BY 1, 2, 3, 4, 6
  ON CONFLICT (document_id, locality_id, commune_code, period, timely_days) DO UPDATE
    SET on_time = t.on_time + EXCLUDED.on_time, late = t.late + EXCLUDED.late;

  INSERT INTO reports.locality_report_tallies AS t
    (document_id, locality_id, period, period_first, timely_days, on_time, late)
  SELECT o.document_id, coalesce(o.locality_id, ''), r.period, min(r.period_first),
         o.timely_days,
         count(*) FILTER (WHERE r.submitted_date <= r.period_last + o.timely_days),
         count(*) FILTER (WHERE r.submitted_date > r.period_last + o.timely_days)
  FROM inserted r JOIN reports.obligations o ON o.id = r.obligation_id
  WHERE r.submitted_date IS NOT NULL
  GROUP BY 1, 2, 3, 5
  ON CONFLICT (document_id, locality_id, period, timely_days) DO UPDATE
    SET on_time = t.on_time + EXCLUDED.on_time, late = t.late + EXCLUDED.late;

  INSERT INTO reports.commune_reports AS c (document_id, locality_id, commune_code, reports)
  SELECT o.document_id, coalesce(o.locality_id, ''), o.commune_code, count(*)
  FROM inserted r JOIN reports.obligations o ON o.id = r.obligation_id
  WHERE r.submitted_date IS NOT NULL AND o.commune_code IS NOT NULL
  GROUP BY 1, 2, 3
  ON CONFLICT (document_id, locality_id, commune_code) DO UPDATE
    SET reports = c.reports + EXCLUDED.reports;

  INSERT INTO reports.indicator_tallies AS t
    (document_id, locality_id, level, period, period_first, indicator_code, accepted, total,
     reports)
  SELECT o.document_id, coalesce(o.locality_id, ''), reports.unit_level(o),
         r.period, min(r.period_first), v.code, r.state = 'ACCEPTED', sum(v.amount), count(*)
  FROM inserted r JOIN reports.obligations o ON o.id = r.obligation_id
  CROSS JOIN LATERAL reports.indicator_amounts(r.indicator_values) v
  WHERE r.state IN ('SUBMITTED', 'ACCEPTED')
  GROUP BY 1, 2, 3, 4, 6, 7
  ON CONFLICT (document_id, indicator_code, accepted, locality_id, level, period) DO UPDATE
    SET total = t.total + EXCLUDED.total, reports = t.reports + EXCLUDED.reports;
  RETURN NULL;
END $$;

CREATE TRIGGER reports_tally_inserted AFTER INSERT ON reports.reports
  REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION reports.tally_inserted_reports();
