#!/usr/bin/env python3
"""Writes migrations/0012_communes.sql from the National Statistics Office's
lists of communes (../shared/communes.csv) and of the pre-2025 communes each
absorbed (../shared/commune_lineage.csv).

Run once when the lists change; the migration it writes is the project's
reference data, applied like every other migration.
"""
import csv
import sys
from pathlib import Path

KINDS = {"xã": "COMMUNE", "phường": "WARD", "đặc khu": "SPECIAL_ZONE"}
MERGES = {"whole": "WHOLE", "part": "PART", "unchanged": "UNCHANGED"}

HEADER = """\
-- The communes, wards and special zones (xã, phường, đặc khu) in force
-- since 1 July 2025 below the 34 provincial-level units, and the pre-2025
-- communes each absorbed: a commune split between several new ones appears
-- once for each, as a PART. Source: ../shared/communes.csv and
-- ../shared/commune_lineage.csv (codes and names of the National
-- Statistics Office, via the public dataset sunshine-tech/VietnamProvinces),
-- written by ../reference/write_communes_migration.py. Later lists arrive
-- in new migrations.
CREATE TABLE organizations.communes (
  code text PRIMARY KEY CHECK (code ~ '^[0-9]{5}$'),
  display_name text NOT NULL CHECK (display_name <> ''),
  kind text NOT NULL CHECK (kind IN ('COMMUNE', 'WARD', 'SPECIAL_ZONE')),
  province_id text NOT NULL
    CONSTRAINT commune_province_exists REFERENCES organizations.localities (id),
  valid_from date,
  valid_until date,
  search_name text GENERATED ALWAYS AS (organizations.fold_text(display_name)) STORED,
  revision bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now(),
  CHECK (valid_from IS NULL OR valid_until IS NULL OR valid_from < valid_until)
);

CREATE INDEX communes_province ON organizations.communes (province_id, code);

-- What each commune absorbed, in the list's order. An area that had no
-- commune code of its own (a district-wide island) has none here either.
CREATE TABLE organizations.commune_predecessors (
  commune_code text NOT NULL REFERENCES organizations.communes (code),
  ordinal integer NOT NULL,
  code text CHECK (code ~ '^[0-9]{5}$'),
  display_name text NOT NULL,
  merge text NOT NULL CHECK (merge IN ('WHOLE', 'PART', 'UNCHANGED')),
  district text NOT NULL,
  province_code text NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
  PRIMARY KEY (commune_code, ordinal)
);

CREATE INDEX commune_predecessors_code ON organizations.commune_predecessors (code);
"""


def quoted(text):
    return "'" + text.replace("'", "''") + "'"


def main(shared, out):
    communes = list(csv.DictReader(open(shared / "communes.csv", encoding="utf-8")))
    lineage = list(csv.DictReader(open(shared / "commune_lineage.csv", encoding="utf-8")))
    lines = [HEADER, "INSERT INTO organizations.communes",
             "  (code, display_name, kind, province_id, valid_from) VALUES"]
    rows = [f"  ({quoted(c['code'])}, {quoted(c['name'])}, {quoted(KINDS[c['kind']])}, "
            f"{quoted(c['province_code'])}, DATE '2025-07-01')" for c in communes]
    lines.append(",\n".join(rows) + ";\n")
    lines += ["INSERT INTO organizations.commune_predecessors",
              "  (commune_code, ordinal, code, display_name, merge, district, province_code)"
              " VALUES"]
    ordinals = {}
    rows = []
    for entry in lineage:
        ordinal = ordinals.get(entry["new_code"], 0) + 1
        ordinals[entry["new_code"]] = ordinal
        code = quoted(entry["old_code"]) if entry["old_code"] else "NULL"
        rows.append(f"  ({quoted(entry['new_code'])}, {ordinal}, {code}, "
                    f"{quoted(entry['old_name'])}, {quoted(MERGES[entry['merge']])}, "
                    f"{quoted(entry['old_district'])}, {quoted(entry['old_province_code'])})")
    lines.append(",\n".join(rows) + ";")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else here.parents[2].parent / "shared"
    main(shared, here.parent / "migrations" / "0012_communes.sql")
