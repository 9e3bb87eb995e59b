-- A province's compliance per commune reads its tallies from this index
-- alone: a commune's row of each month lies among every province's rows
-- of that month, so reading them from the table visited a page per row
-- (3,344 pages for Hanoi's 12,600 rows, two thirds of the statement).
-- The counts are in the index, so their updates are no longer HOT: a
-- filing's tally update writes one more index entry.
CREATE INDEX report_tallies_by_document_and_locality ON reports.report_tallies
  (document_id, locality_id) INCLUDE (commune_code, period, period_first, timely_days, on_time,
                                      late);
