-- Text folding for search, and what every write leaves behind (see
-- common/resource/write_log.h): the request it answered and an audit record.
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;

-- "Đối ngoại nhân dân" and "DOI NGOAI NHAN DAN" both fold to
-- "doi ngoai nhan dan" (see organizations.fold_text).
CREATE FUNCTION reports.fold_text(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  RETURN lower(public.unaccent('public.unaccent'::regdictionary, normalize($1, NFC)));

CREATE TABLE reports.request_log (
  request_id text PRIMARY KEY CHECK (length(request_id) BETWEEN 1 AND 128),
  method text NOT NULL,
  fingerprint text NOT NULL,
  resource_id text,
  create_time timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE reports.audit_log (
  id bigserial PRIMARY KEY,
  time timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  action text NOT NULL CHECK (action IN ('create', 'update', 'delete')),
  resource text NOT NULL,
  request_id text,
  reason text,
  before jsonb,
  after jsonb,
  changed_fields text[] NOT NULL DEFAULT '{}'
);

CREATE INDEX audit_log_by_resource ON reports.audit_log (resource, id DESC);
