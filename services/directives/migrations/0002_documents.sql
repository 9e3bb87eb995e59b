-- Documents and the "concretizes" graph between them. Localities and
-- organizations belong to the organizations service: their names are
-- checked there at write time and stored as ids, never joined.

-- caunoi:shared common/resource/fold_text.sql

CREATE TABLE directives.documents (
  id bigserial PRIMARY KEY,
  type text NOT NULL,
  symbol text NOT NULL CHECK (btrim(symbol) <> ''),
  number bigint NOT NULL,
  type_code text NOT NULL,
  issuer_code text NOT NULL,
  normalized_symbol text NOT NULL,
  level text NOT NULL,
  issuing_body text NOT NULL CHECK (btrim(issuing_body) <> ''),
  issuing_organization_id bigint,
  locality_id text,
  current_locality_id text,
  issue_date date NOT NULL,
  title text NOT NULL DEFAULT '',
  summary text NOT NULL DEFAULT '',
  status text NOT NULL,
  status_date date,
  superseded_by_id bigint CONSTRAINT document_superseded_by_exists
    REFERENCES directives.documents (id),
  search_text text GENERATED ALWAYS AS (directives.fold_text(
    symbol || ' ' || normalized_symbol || ' ' || title || ' ' || summary)) STORED,
  revision bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now()
);

-- Identity: issuer (locality and body) + normalized symbol + year. Hanoi's
-- 24-CT/TU and a province's 24-CT/TU differ by locality; 12-CT/TƯ and
-- 12-CT/TW from one issuer are one document.
CREATE UNIQUE INDEX document_identity ON directives.documents
  (coalesce(locality_id, ''), directives.fold_text(issuing_body), normalized_symbol,
   date_part('year', issue_date));
CREATE INDEX documents_by_symbol ON directives.documents (normalized_symbol);
CREATE INDEX documents_by_locality ON directives.documents (current_locality_id, id);

CREATE TABLE directives.document_links (
  child_id bigint NOT NULL REFERENCES directives.documents (id) ON DELETE CASCADE,
  parent_id bigint NOT NULL CONSTRAINT document_parent_exists
    REFERENCES directives.documents (id),
  PRIMARY KEY (child_id, parent_id),
  CHECK (child_id <> parent_id)
);

CREATE INDEX document_links_by_parent ON directives.document_links (parent_id, child_id);
