-- caunoi:shared common/changes/change_log.sql

-- A report belongs to its duty's locality.
CREATE OR REPLACE FUNCTION reports.change_locality(resource text, state jsonb) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT coalesce(
    state->>'locality',
    substring(state->>'commune' from '^localities/[^/]+'),
    (SELECT 'localities/' || o.locality_id FROM reports.obligations o
      WHERE o.id = substring(resource from '^obligations/(\d+)/')::bigint))
$$;
