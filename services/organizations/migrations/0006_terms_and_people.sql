-- Congresses and the terms they open, the people who hold posts in them and
-- the leadership planning for each term. One person may hold posts in
-- several organizations at once.
CREATE TABLE organizations.terms (
  id bigserial PRIMARY KEY,
  organization_id bigint NOT NULL CONSTRAINT term_organization_exists
    REFERENCES organizations.organizations (id),
  congress_ordinal integer NOT NULL CHECK (congress_ordinal BETWEEN 1 AND 100),
  congress_start date,
  congress_end date,
  start_year integer NOT NULL CHECK (start_year BETWEEN 1900 AND 9999),
  end_year integer NOT NULL CHECK (end_year BETWEEN 1900 AND 9999),
  revision bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now(),
  CHECK (end_year >= start_year),
  CHECK (congress_end IS NULL OR congress_start IS NULL OR congress_end >= congress_start),
  CONSTRAINT term_congress_unique UNIQUE (organization_id, congress_ordinal)
);

CREATE TABLE organizations.people (
  id bigserial PRIMARY KEY,
  full_name text NOT NULL CHECK (btrim(full_name) <> '' AND length(full_name) <= 512),
  note text NOT NULL DEFAULT '',
  search_name text GENERATED ALWAYS AS (organizations.fold_text(full_name)) STORED,
  revision bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE organizations.positions (
  id bigserial PRIMARY KEY,
  term_id bigint NOT NULL CONSTRAINT position_term_exists REFERENCES organizations.terms (id),
  person_id bigint NOT NULL CONSTRAINT position_person_exists REFERENCES organizations.people (id),
  role text NOT NULL,
  title text NOT NULL DEFAULT '',
  since date,
  until date,
  revision bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now(),
  CHECK (until IS NULL OR since IS NULL OR until >= since)
);

CREATE INDEX positions_by_person ON organizations.positions (person_id, id);
CREATE INDEX positions_by_term ON organizations.positions (term_id, id);

CREATE TABLE organizations.leadership_candidates (
  id bigserial PRIMARY KEY,
  term_id bigint NOT NULL CONSTRAINT candidate_term_exists REFERENCES organizations.terms (id),
  person_id bigint NOT NULL CONSTRAINT candidate_person_exists
    REFERENCES organizations.people (id),
  role text NOT NULL,
  status text NOT NULL,
  note text NOT NULL DEFAULT '',
  revision bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX candidates_by_term ON organizations.leadership_candidates (term_id, id);
CREATE INDEX candidates_by_person ON organizations.leadership_candidates (person_id, id);
