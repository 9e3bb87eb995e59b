-- Writers no longer NOTIFY. At commit a notifying transaction holds one
-- lock for the whole database until its commit is durable, so every
-- writer's commit waited for the previous writer's. The writer's own
-- process wakes its change feed after the commit (common/pg/commit_wakeup.h);
-- the feed NOTIFYs once it has numbered changes, which wakes the feeds of
-- the other replicas.
CREATE OR REPLACE FUNCTION @schema@.log_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO @schema@.changes (audit_id, locality, time)
    SELECT id, @schema@.change_locality(resource, coalesce(after, before)), time FROM added;
  RETURN NULL;
END $$;
