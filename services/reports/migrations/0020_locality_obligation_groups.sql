-- Obligation groups summed over each locality's communes, kept by the same
-- trigger as the groups per commune: a national summary read a group row
-- per commune (3,321 for a directive owed in every commune) only to add
-- them up to one per locality.
CREATE TABLE reports.locality_obligation_groups (
  document_id bigint NOT NULL,
  locality_id text NOT NULL,  -- '' for units with no locality
  first_period text NOT NULL,
  first_day date NOT NULL,
  last_period text NOT NULL,  -- '' while the duty lasts
  timely_days integer NOT NULL,
  obligations bigint NOT NULL,
  PRIMARY KEY (document_id, locality_id, first_period, last_period, timely_days)
);
INSERT INTO reports.locality_obligation_groups
SELECT document_id, locality_id, first_period, min(first_day), last_period, timely_days,
       sum(obligations)
FROM reports.obligation_groups GROUP BY 1, 2, 3, 5, 6;

CREATE OR REPLACE FUNCTION reports.count_obligation(o reports.obligations, sign integer)
RETURNS void LANGUAGE sql AS $$
  INSERT INTO reports.obligation_groups AS g
    (document_id, locality_id, commune_code, first_period, first_day, last_period, timely_days,
     obligations)
  VALUES (o.document_id, coalesce(o.locality_id, ''), coalesce(o.commune_code, ''),
          o.first_period, o.first_day, coalesce(o.last_period, ''), o.timely_days, sign)
  ON CONFLICT (document_id, locality_id, commune_code, first_period, last_period, timely_days)
    DO UPDATE SET obligations = g.obligations + EXCLUDED.obligations;
  INSERT INTO reports.locality_obligation_groups AS g
    (document_id, locality_id, first_period, first_day, last_period, timely_days, obligations)
  VALUES (o.document_id, coalesce(o.locality_id, ''), o.first_period, o.first_day,
          coalesce(o.last_period, ''), o.timely_days, sign)
  ON CONFLICT (document_id, locality_id, first_period, last_period, timely_days)
    DO UPDATE SET obligations = g.obligations + EXCLUDED.obligations
$$;
