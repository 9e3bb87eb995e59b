-- The locality of a change, as 0013 defined it, in PL/pgSQL: a SQL
-- function with a subquery cannot be inlined, so every audited write parsed
-- and planned its body again (about 0.2 ms a write); PL/pgSQL plans the
-- lookup once per connection and skips it when the state names a place.
CREATE OR REPLACE FUNCTION directives.change_locality(resource text, state jsonb) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
  place text := coalesce(state->>'locality', substring(state->>'commune' from '^localities/[^/]+'));
BEGIN
  IF place IS NULL THEN
    SELECT 'localities/' || d.locality_id INTO place FROM directives.document_rows d
      WHERE d.id = substring(resource from '^directives/(\d+)/')::bigint;
  END IF;
  RETURN place;
END $$;
