-- Provincial-level localities across the 1 July 2025 merger. A code is
-- reused across eras (80 was Long An, is now Tây Ninh), so a row is one unit
-- during one span of validity, keyed by its resource id.
CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;

-- caunoi:shared common/resource/fold_text.sql

CREATE TABLE organizations.localities (
  id text PRIMARY KEY CHECK (id ~ '^(pre2025-)?[0-9]{2}$'),
  code text NOT NULL CHECK (code ~ '^[0-9]{2}$'),
  display_name text NOT NULL CHECK (display_name <> ''),
  kind text NOT NULL CHECK (kind IN ('city', 'province')),
  valid_from date,
  valid_until date,
  successor_id text REFERENCES organizations.localities (id),
  search_name text GENERATED ALWAYS AS (organizations.fold_text(display_name)) STORED,
  CHECK (valid_from IS NULL OR valid_until IS NULL OR valid_from < valid_until),
  -- A dissolved unit always names who took it over.
  CHECK ((valid_until IS NULL) = (successor_id IS NULL)),
  -- On any given day a code means one unit.
  EXCLUDE USING gist (code WITH =, daterange(valid_from, valid_until) WITH &&)
);

CREATE INDEX localities_successor ON organizations.localities (successor_id);
CREATE UNIQUE INDEX localities_code_order ON organizations.localities (code, id);
