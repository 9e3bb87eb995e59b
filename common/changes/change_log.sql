-- The change log behind ListChanges and WatchChanges (common/changes):
-- a row per audit record, so every write to every resource of the service
-- is in it, in the writer's own transaction. Writers only insert; the
-- feed (change_feed.cc) numbers committed rows afterwards under an advisory
-- lock, so a position once seen is never followed by an earlier one
-- committing late, and writers never wait on each other for it.
CREATE TABLE @schema@.changes (
  id bigserial PRIMARY KEY,
  -- Assigned in commit order by the feed; NULL until then.
  position bigint UNIQUE,
  audit_id bigint NOT NULL,
  locality text,
  time timestamptz NOT NULL
);

CREATE INDEX changes_unnumbered ON @schema@.changes (id) WHERE position IS NULL;
CREATE INDEX changes_by_time ON @schema@.changes (time) WHERE position IS NOT NULL;

-- The last position given, and the last one removed by the retention: a
-- cursor below it has lost changes.
CREATE TABLE @schema@.change_head (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  last_position bigint NOT NULL,
  pruned_through bigint NOT NULL
);
INSERT INTO @schema@.change_head VALUES (true, 0, 0);

-- The locality a written resource belongs to, from its state; services
-- whose child resources carry none replace this with a lookup.
CREATE FUNCTION @schema@.change_locality(resource text, state jsonb) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT coalesce(state->>'locality', substring(state->>'commune' from '^localities/[^/]+'),
                  substring(resource from '^localities/[^/]+'))
$$;

CREATE FUNCTION @schema@.log_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO @schema@.changes (audit_id, locality, time)
    SELECT id, @schema@.change_locality(resource, coalesce(after, before)), time FROM added;
  -- One notification per transaction whatever it wrote; it reaches
  -- listeners at commit.
  PERFORM pg_notify('@schema@_changes', '');
  RETURN NULL;
END $$;

CREATE TRIGGER audit_log_changes AFTER INSERT ON @schema@.audit_log
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION @schema@.log_changes();
