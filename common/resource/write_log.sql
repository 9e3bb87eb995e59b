-- What every write leaves behind (see common/resource/write_log.h): the
-- request it answered, so a retried create returns the first result, and an
-- audit record (who, when, what, before and after, why). Each service's
-- migrations include this with its own schema in place of @schema@.
CREATE TABLE @schema@.request_log (
  request_id text PRIMARY KEY CHECK (length(request_id) BETWEEN 1 AND 128),
  method text NOT NULL,
  -- A hash of the request, so reusing an id for another request is refused.
  fingerprint text NOT NULL,
  resource_id text,
  create_time timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE @schema@.audit_log (
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

CREATE INDEX audit_log_by_resource ON @schema@.audit_log (resource, id DESC);
