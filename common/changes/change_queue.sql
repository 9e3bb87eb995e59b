-- A change waits in a queue until the feed numbers it, and is then written
-- once into the log, numbered, and never updated. Numbering in place
-- rewrote every change row with a new entry in each of its indexes, the
-- largest part of what the change log cost a write (tests/bench/RESULTS.md,
-- "What the change log costs a filing"). The queue has no index: the feed
-- takes all of it at once.
CREATE TABLE @schema@.change_queue (
  audit_id bigint NOT NULL,
  locality text,
  time timestamptz NOT NULL
);
-- Emptied every few milliseconds: vacuumed as soon as a few thousand rows
-- are dead, so the feed's scan stays short.
ALTER TABLE @schema@.change_queue SET (autovacuum_vacuum_scale_factor = 0,
                                       autovacuum_vacuum_threshold = 2000);

CREATE OR REPLACE FUNCTION @schema@.log_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO @schema@.change_queue (audit_id, locality, time)
    SELECT id, @schema@.change_locality(resource, coalesce(after, before)), time FROM added;
  RETURN NULL;
END $$;

INSERT INTO @schema@.change_queue (audit_id, locality, time)
  SELECT audit_id, locality, time FROM @schema@.changes WHERE position IS NULL ORDER BY id;
DELETE FROM @schema@.changes WHERE position IS NULL;
-- Its indexes go with the column: the log is read and pruned by position
-- and time only.
ALTER TABLE @schema@.changes DROP COLUMN id;
ALTER TABLE @schema@.changes ALTER COLUMN position SET NOT NULL;
-- Rows are written in position order, so their time follows the table's
-- order and a range index finds what the retention removes.
DROP INDEX @schema@.changes_by_time;
CREATE INDEX changes_by_time ON @schema@.changes USING brin (time);
