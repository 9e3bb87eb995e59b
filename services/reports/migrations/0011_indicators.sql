-- Indicators: a catalogue of what reports carry, a set per document, and
-- each report's values as one JSON object keyed by indicator code (a key
-- absent is "not reported", which is not 0). The nine fixed figures become
-- the default catalogue and their values move into the object.
CREATE TABLE reports.indicators (
  code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{0,62}$'),
  display_name text NOT NULL CHECK (display_name <> ''),
  search_name text GENERATED ALWAYS AS (reports.fold_text(display_name)) STORED,
  unit text NOT NULL CHECK (unit IN ('COUNT', 'PEOPLE', 'VND', 'YES_NO', 'TEXT')),
  aggregation text NOT NULL CHECK (aggregation IN ('SUM', 'AVERAGE', 'NONE')),
  description text NOT NULL DEFAULT '',
  revision bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now(),
  -- Words are counted, never added up.
  CONSTRAINT indicator_text_not_added CHECK (unit <> 'TEXT' OR aggregation = 'NONE')
);
CREATE UNIQUE INDEX indicators_by_name ON reports.indicators (search_name);

INSERT INTO reports.indicators (code, display_name, unit, aggregation) VALUES
  ('dissemination_sessions', 'Số hội nghị, buổi phổ biến, quán triệt', 'COUNT', 'SUM'),
  ('dissemination_attendance', 'Số lượt người dự phổ biến, quán triệt', 'PEOPLE', 'SUM'),
  ('cadres_trained', 'Số cán bộ được tập huấn, bồi dưỡng', 'PEOPLE', 'SUM'),
  ('activities_held', 'Số hoạt động đối ngoại nhân dân', 'COUNT', 'SUM'),
  ('delegations_received', 'Số đoàn nước ngoài đón tiếp', 'COUNT', 'SUM'),
  ('delegations_sent', 'Số đoàn đi nước ngoài', 'COUNT', 'SUM'),
  ('new_partnerships', 'Số quan hệ đối tác mới', 'COUNT', 'SUM'),
  ('members', 'Số hội viên', 'PEOPLE', 'SUM'),
  ('funds_vnd', 'Kinh phí vận động (đồng)', 'VND', 'SUM');

CREATE TABLE reports.document_indicators (
  document_id bigint NOT NULL,
  indicator_code text NOT NULL CONSTRAINT document_indicator_exists
    REFERENCES reports.indicators (code),
  required boolean NOT NULL DEFAULT false,
  position integer NOT NULL,
  PRIMARY KEY (document_id, indicator_code)
);
CREATE INDEX document_indicators_by_indicator ON reports.document_indicators (indicator_code);

ALTER TABLE reports.reports ADD COLUMN indicator_values jsonb NOT NULL DEFAULT '{}'
  CHECK (jsonb_typeof(indicator_values) = 'object');
UPDATE reports.reports SET indicator_values = jsonb_build_object(
  'dissemination_sessions', dissemination_sessions,
  'dissemination_attendance', dissemination_attendance,
  'cadres_trained', cadres_trained, 'activities_held', activities_held,
  'delegations_received', delegations_received, 'delegations_sent', delegations_sent,
  'new_partnerships', new_partnerships, 'members', members, 'funds_vnd', funds_vnd);
ALTER TABLE reports.reports DROP COLUMN dissemination_sessions,
  DROP COLUMN dissemination_attendance, DROP COLUMN cadres_trained,
  DROP COLUMN activities_held, DROP COLUMN delegations_received, DROP COLUMN delegations_sent,
  DROP COLUMN new_partnerships, DROP COLUMN members, DROP COLUMN funds_vnd;

-- Values added up as reports are submitted, accepted, returned or edited,
-- per document, today's locality, level, period and indicator, apart for
-- accepted reports and for those submitted and not yet judged; a row with
-- indicator '' counts the reports themselves. National totals then read a
-- few thousand rows, not millions of reports.
CREATE TABLE reports.indicator_tallies (
  document_id bigint NOT NULL,
  locality_id text NOT NULL,     -- '' for units with no locality
  level text NOT NULL,           -- 'CENTRAL', 'PROVINCIAL' or 'COMMUNE'
  period text NOT NULL,
  period_first date NOT NULL,
  indicator_code text NOT NULL,  -- '' counts reports
  accepted boolean NOT NULL,
  total numeric NOT NULL DEFAULT 0,
  reports bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (document_id, indicator_code, accepted, locality_id, level, period)
);

-- A unit with no locality (a central body) reports at the central level.
CREATE FUNCTION reports.unit_level(obligation reports.obligations) RETURNS text
  LANGUAGE sql IMMUTABLE
  RETURN CASE WHEN obligation.locality_id IS NULL THEN 'CENTRAL'
              WHEN obligation.commune_code IS NULL THEN 'PROVINCIAL' ELSE 'COMMUNE' END;

-- What a report's values add to the tallies: amounts as numbers, yes as 1,
-- texts only counted, and a row '' counting the report itself.
CREATE FUNCTION reports.indicator_amounts(indicator_values jsonb)
RETURNS TABLE (code text, amount numeric) LANGUAGE sql IMMUTABLE AS $$
  SELECT '', 0::numeric
  UNION ALL
  SELECT e.key, CASE jsonb_typeof(e.value)
                  WHEN 'number' THEN (e.value #>> '{}')::numeric
                  WHEN 'boolean' THEN CASE WHEN (e.value #>> '{}')::boolean THEN 1 ELSE 0 END
                  ELSE 0 END
  FROM jsonb_each(indicator_values) e
$$;

-- A report's contribution, with `sign` +1 or -1; nothing for a draft or a
-- returned report.
CREATE FUNCTION reports.tally_indicators(obligation reports.obligations, sign integer,
                                         state text, period text, period_first date,
                                         indicator_values jsonb)
RETURNS void LANGUAGE sql AS $$
  INSERT INTO reports.indicator_tallies AS t
    (document_id, locality_id, level, period, period_first, indicator_code, accepted, total,
     reports)
  SELECT obligation.document_id, coalesce(obligation.locality_id, ''),
         reports.unit_level(obligation), period, period_first, v.code, state = 'ACCEPTED',
         sign * v.amount, sign
  FROM reports.indicator_amounts(indicator_values) v
  WHERE state IN ('SUBMITTED', 'ACCEPTED')
  ON CONFLICT (document_id, indicator_code, accepted, locality_id, level, period) DO UPDATE
    SET total = t.total + EXCLUDED.total, reports = t.reports + EXCLUDED.reports
$$;

CREATE FUNCTION reports.tally_report_indicators() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  obligation reports.obligations;
BEGIN
  SELECT * INTO obligation FROM reports.obligations
    WHERE id = coalesce(NEW.obligation_id, OLD.obligation_id);
  IF TG_OP <> 'INSERT' THEN
    PERFORM reports.tally_indicators(obligation, -1, OLD.state, OLD.period, OLD.period_first,
                                     OLD.indicator_values);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM reports.tally_indicators(obligation, 1, NEW.state, NEW.period, NEW.period_first,
                                     NEW.indicator_values);
  END IF;
  RETURN NULL;
END $$;

-- Drafts take no tally lock: only reports submitted or judged count.
CREATE TRIGGER reports_indicators_insert AFTER INSERT ON reports.reports
  FOR EACH ROW WHEN (NEW.state IN ('SUBMITTED', 'ACCEPTED'))
  EXECUTE FUNCTION reports.tally_report_indicators();
CREATE TRIGGER reports_indicators_update AFTER UPDATE OF state, indicator_values ON reports.reports
  FOR EACH ROW WHEN ((OLD.state IN ('SUBMITTED', 'ACCEPTED') OR NEW.state IN ('SUBMITTED', 'ACCEPTED'))
                     AND (OLD.state IS DISTINCT FROM NEW.state
                          OR OLD.indicator_values IS DISTINCT FROM NEW.indicator_values))
  EXECUTE FUNCTION reports.tally_report_indicators();
CREATE TRIGGER reports_indicators_delete AFTER DELETE ON reports.reports
  FOR EACH ROW WHEN (OLD.state IN ('SUBMITTED', 'ACCEPTED'))
  EXECUTE FUNCTION reports.tally_report_indicators();

-- A unit moved to another locality or commune (the 2025 merger) takes its
-- reports' values along: each unit counts once, where it is today.
CREATE FUNCTION reports.retally_obligation_indicators() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  report reports.reports;
BEGIN
  FOR report IN SELECT * FROM reports.reports
                WHERE obligation_id = NEW.id AND state IN ('SUBMITTED', 'ACCEPTED') LOOP
    PERFORM reports.tally_indicators(OLD, -1, report.state, report.period, report.period_first,
                                     report.indicator_values);
    PERFORM reports.tally_indicators(NEW, 1, report.state, report.period, report.period_first,
                                     report.indicator_values);
  END LOOP;
  RETURN NULL;
END $$;

CREATE TRIGGER obligations_retally_indicators
  AFTER UPDATE OF locality_id, commune_code ON reports.obligations
  FOR EACH ROW
  WHEN (OLD.locality_id IS DISTINCT FROM NEW.locality_id
        OR OLD.commune_code IS DISTINCT FROM NEW.commune_code)
  EXECUTE FUNCTION reports.retally_obligation_indicators();

-- Reports filed before this table existed.
SELECT reports.tally_indicators(o, 1, r.state, r.period, r.period_first, r.indicator_values)
FROM reports.reports r JOIN reports.obligations o ON o.id = r.obligation_id
WHERE r.state IN ('SUBMITTED', 'ACCEPTED');
