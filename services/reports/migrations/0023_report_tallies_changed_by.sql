-- Each commune tally row names the transaction that last changed it, so a
-- server holding a province's rows asks only for those changed since its
-- last read: any transaction its last read could not see has an id at or
-- above that read's snapshot xmin. Rows are never deleted or moved to
-- another document or locality (a tally is adjusted up and down in place),
-- so what changed is all a holder needs. Rows from before this column
-- count as changed by transaction 0, older than any snapshot.
ALTER TABLE reports.report_tallies ADD COLUMN changed_by xid8 NOT NULL DEFAULT '0';
ALTER TABLE reports.report_tallies ALTER COLUMN changed_by SET DEFAULT pg_current_xact_id();

-- ON CONFLICT ... DO UPDATE of the tallying functions sets only the counts.
CREATE FUNCTION reports.stamp_tally_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.changed_by := pg_current_xact_id();
  RETURN NEW;
END $$;
CREATE TRIGGER report_tallies_stamp_change BEFORE UPDATE ON reports.report_tallies
  FOR EACH ROW EXECUTE FUNCTION reports.stamp_tally_change();

-- The covering index of a province's rows (0019) leads with the change, so
-- both the whole of a province and what changed in it since a snapshot
-- are one range of it. It replaces the old one: no more entries a write.
DROP INDEX reports.report_tallies_by_document_and_locality;
CREATE INDEX report_tallies_by_document_locality_and_change ON reports.report_tallies
  (document_id, locality_id, changed_by) INCLUDE (commune_code, period, period_first,
                                                  timely_days, on_time, late);
