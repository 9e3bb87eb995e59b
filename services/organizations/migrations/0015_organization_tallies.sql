-- Live, active organizations counted per locality and kind, kept by
-- statement triggers, so the per-locality statistics read a few hundred
-- tallies instead of the whole registry. Keyed by the locality an
-- organization names (a unit replaced in 2025 included): the statistics
-- map them to today's units as they read, so a merger changes no tally.
-- Each key is split over 16 shards, one chosen by the writing connection:
-- writers creating organizations of one kind in one locality at once would
-- otherwise wait for each other's commit on one row; readers sum the shards.
CREATE TABLE organizations.organization_tallies (
  locality_id text NOT NULL,  -- '' for organizations of no locality
  kind text NOT NULL,
  shard smallint NOT NULL,
  organizations bigint NOT NULL,
  PRIMARY KEY (locality_id, kind, shard)
);

CREATE FUNCTION organizations.tally_shard() RETURNS smallint LANGUAGE sql STABLE
  RETURN (pg_backend_pid() % 16)::smallint;

-- Adds the counted rows of new_rows and takes away those of old_rows
-- (either may be absent for the trigger's event), keys in order so that two
-- writers touching the same tallies lock them in the same order.
CREATE FUNCTION organizations.tally_organizations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO organizations.organization_tallies AS t (locality_id, kind, shard, organizations)
    SELECT coalesce(locality_id, ''), kind, organizations.tally_shard(), count(*) FROM new_rows
     WHERE status = 'ACTIVE' AND delete_time IS NULL GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (locality_id, kind, shard)
      DO UPDATE SET organizations = t.organizations + EXCLUDED.organizations;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO organizations.organization_tallies AS t (locality_id, kind, shard, organizations)
    SELECT coalesce(locality_id, ''), kind, organizations.tally_shard(), -count(*) FROM old_rows
     WHERE status = 'ACTIVE' AND delete_time IS NULL GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (locality_id, kind, shard)
      DO UPDATE SET organizations = t.organizations + EXCLUDED.organizations;
  ELSE
    INSERT INTO organizations.organization_tallies AS t (locality_id, kind, shard, organizations)
    SELECT locality_id, kind, organizations.tally_shard(), sum(change) FROM (
        SELECT coalesce(locality_id, '') AS locality_id, kind, 1 AS change FROM new_rows
         WHERE status = 'ACTIVE' AND delete_time IS NULL
        UNION ALL
        SELECT coalesce(locality_id, ''), kind, -1 FROM old_rows
         WHERE status = 'ACTIVE' AND delete_time IS NULL) moved
      GROUP BY 1, 2 HAVING sum(change) <> 0 ORDER BY 1, 2
    ON CONFLICT (locality_id, kind, shard)
      DO UPDATE SET organizations = t.organizations + EXCLUDED.organizations;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER organizations_tally_insert AFTER INSERT ON organizations.organization_rows
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION organizations.tally_organizations();
CREATE TRIGGER organizations_tally_update AFTER UPDATE ON organizations.organization_rows
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION organizations.tally_organizations();
CREATE TRIGGER organizations_tally_delete AFTER DELETE ON organizations.organization_rows
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION organizations.tally_organizations();

INSERT INTO organizations.organization_tallies (locality_id, kind, shard, organizations)
SELECT coalesce(locality_id, ''), kind, 0, count(*) FROM organizations.organization_rows
 WHERE status = 'ACTIVE' AND delete_time IS NULL GROUP BY 1, 2;
