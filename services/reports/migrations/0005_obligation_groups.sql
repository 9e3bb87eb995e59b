-- Obligations counted per document, current locality and reporting terms,
-- kept by a trigger, so expected reports (obligations × periods) are read
-- from a few rows however many units report.
CREATE TABLE reports.obligation_groups (
  document_id bigint NOT NULL,
  locality_id text NOT NULL,  -- '' for units with no locality
  first_period text NOT NULL,
  first_day date NOT NULL,
  last_period text NOT NULL,  -- '' while the duty lasts
  timely_days integer NOT NULL,
  obligations bigint NOT NULL,
  PRIMARY KEY (document_id, locality_id, first_period, last_period, timely_days)
);

CREATE FUNCTION reports.count_obligation(o reports.obligations, sign integer)
RETURNS void LANGUAGE sql AS $$
  INSERT INTO reports.obligation_groups AS g
    (document_id, locality_id, first_period, first_day, last_period, timely_days, obligations)
  VALUES (o.document_id, coalesce(o.locality_id, ''), o.first_period, o.first_day,
          coalesce(o.last_period, ''), o.timely_days, sign)
  ON CONFLICT (document_id, locality_id, first_period, last_period, timely_days) DO UPDATE
    SET obligations = g.obligations + EXCLUDED.obligations
$$;

CREATE FUNCTION reports.group_obligation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM reports.count_obligation(OLD, -1); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM reports.count_obligation(NEW, 1); END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER obligations_group AFTER INSERT OR DELETE OR UPDATE ON reports.obligations
  FOR EACH ROW EXECUTE FUNCTION reports.group_obligation();

INSERT INTO reports.obligation_groups
  (document_id, locality_id, first_period, first_day, last_period, timely_days, obligations)
SELECT document_id, coalesce(locality_id, ''), first_period, min(first_day),
       coalesce(last_period, ''), timely_days, count(*)
FROM reports.obligations GROUP BY 1, 2, 3, 5, 6;
