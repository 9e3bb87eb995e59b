-- The retention's prune is the only reader of the change rows' time. A
-- B-tree on it took a new entry each time the feed numbered a row (an
-- UPDATE, never HOT since the position is indexed), on every audited
-- write. Rows are written in time order, so a BRIN index finds the old
-- ones as well, and numbering leaves it untouched.
DROP INDEX @schema@.changes_by_time;
CREATE INDEX changes_by_time ON @schema@.changes USING brin (time) WHERE position IS NOT NULL;
