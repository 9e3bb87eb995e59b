-- Changes are numbered straight from the audit log: a writer leaves its
-- audit record and nothing else. The queue (change_queue.sql) cost every
-- audited statement a trigger, a second row and its WAL, and the feed a
-- delete of it (tests/bench/RESULTS.md, "what the audit record and the
-- change log cost a filing").
--
-- Each audit record carries the id of the transaction that wrote it. The
-- feed remembers, from the snapshot of its last numbering, the first
-- transaction id not yet given out (`seen_xmax`) and the transactions
-- still running then (`unseen`): every other transaction had ended, and
-- its records were visible to that numbering and numbered by it. So the
-- records still to number are exactly those of transactions in `unseen`
-- or from `seen_xmax` on that have committed since. A change's locality
-- (change_locality) is looked up then, with the numbering, a few
-- milliseconds after its write.
ALTER TABLE @schema@.audit_log ADD COLUMN xact xid8;
-- Only the records written from now on: the older ones are numbered.
ALTER TABLE @schema@.audit_log ALTER COLUMN xact SET DEFAULT pg_current_xact_id();
CREATE INDEX audit_log_by_xact ON @schema@.audit_log (xact) WHERE xact IS NOT NULL;

DROP TRIGGER audit_log_changes ON @schema@.audit_log;
DROP FUNCTION @schema@.log_changes();

-- What waits in the queue is numbered here, after what was numbered, as
-- the feed did. The ALTER TABLE above waited for every writer of the audit
-- log to end, so the queue is whole.
WITH queued AS (DELETE FROM @schema@.change_queue RETURNING audit_id, locality, time),
     head AS (SELECT last_position FROM @schema@.change_head),
     numbered AS (
       INSERT INTO @schema@.changes (position, audit_id, locality, time)
       SELECT head.last_position + row_number() OVER (ORDER BY queued.audit_id),
              queued.audit_id, queued.locality, queued.time
       FROM queued, head RETURNING position)
UPDATE @schema@.change_head
  SET last_position = coalesce((SELECT max(position) FROM numbered), last_position);
DROP TABLE @schema@.change_queue;

-- Writers held back by this migration's lock may hold transaction ids
-- below any later one: this snapshot still counts them as running.
ALTER TABLE @schema@.change_head ADD COLUMN seen_xmax xid8, ADD COLUMN unseen xid8[];
UPDATE @schema@.change_head
  SET seen_xmax = pg_snapshot_xmax(pg_current_snapshot()),
      unseen = ARRAY(SELECT pg_snapshot_xip(pg_current_snapshot()));
ALTER TABLE @schema@.change_head ALTER COLUMN seen_xmax SET NOT NULL,
                                 ALTER COLUMN unseen SET NOT NULL;
