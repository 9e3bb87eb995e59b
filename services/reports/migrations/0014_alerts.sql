-- Alerts: what falls due (a task, a report duty's period), told once per
-- item, kind and due date (see services/reports/alerts/).

-- A document's rules; the defaults (7 and 1 days before, escalation after
-- 15 days overdue) apply while it has none.
CREATE TABLE reports.alert_rules (
  document_id bigint PRIMARY KEY,
  reminder_days integer[] NOT NULL CHECK (array_length(reminder_days, 1) <= 5),
  escalation_days integer NOT NULL CHECK (escalation_days BETWEEN 1 AND 365),
  revision bigint NOT NULL DEFAULT 1,
  update_time timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE reports.alerts (
  id bigserial PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('REMINDER', 'OVERDUE', 'ESCALATION')),
  item text NOT NULL,
  due_date date NOT NULL,
  -- For a reminder, how many days before; 0 otherwise.
  days_before integer NOT NULL DEFAULT 0,
  document_id bigint NOT NULL,
  unit_id bigint,
  locality_id text,
  -- "01/00004" when the responsible record lies in a commune.
  commune_place text NOT NULL DEFAULT '',
  days_overdue integer NOT NULL DEFAULT 0,
  addressees text[] NOT NULL,
  summary text NOT NULL,
  state text NOT NULL DEFAULT 'PENDING' CHECK (state IN ('PENDING', 'ACKNOWLEDGED', 'RESOLVED')),
  create_time timestamptz NOT NULL DEFAULT now(),
  resolve_time timestamptz,
  acknowledged_by text,
  acknowledge_time timestamptz,
  -- Once per item, kind and due date: producing again inserts nothing.
  CONSTRAINT alert_once UNIQUE (item, kind, due_date, days_before)
);

CREATE INDEX alerts_open ON reports.alerts (item) WHERE state <> 'RESOLVED';
CREATE INDEX alerts_by_addressee ON reports.alerts USING gin (addressees);
CREATE INDEX alerts_by_unit ON reports.alerts (unit_id, id);
CREATE INDEX alerts_by_locality ON reports.alerts (locality_id, id);

-- An alert as the API shows it (proto3 JSON): the audit record's state,
-- so the change stream carries what ListAlerts returns.
CREATE FUNCTION reports.alert_json(a reports.alerts) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(jsonb_build_object(
    'name', 'alerts/' || a.id,
    'kind', 'ALERT_KIND_' || a.kind,
    'state', 'ALERT_STATE_' || a.state,
    'item', a.item,
    'document', 'directives/' || a.document_id,
    'unit', 'organizations/' || a.unit_id,
    'locality', 'localities/' || a.locality_id,
    'commune', CASE WHEN a.commune_place <> '' THEN
      'localities/' || split_part(a.commune_place, '/', 1) || '/communes/' ||
      split_part(a.commune_place, '/', 2) END,
    'dueDate', jsonb_build_object('year', extract(year FROM a.due_date)::int,
                                  'month', extract(month FROM a.due_date)::int,
                                  'day', extract(day FROM a.due_date)::int),
    'daysBefore', nullif(a.days_before, 0),
    'daysOverdue', nullif(a.days_overdue, 0),
    'addressees', to_jsonb(a.addressees),
    'summary', a.summary,
    'createTime', to_char(a.create_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    'resolveTime', to_char(a.resolve_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    'acknowledgedBy', a.acknowledged_by,
    'acknowledgeTime',
      to_char(a.acknowledge_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')))
$$;

-- Endpoints alerts are POSTed to; each receives what its owner may see.
CREATE TABLE reports.webhooks (
  id bigserial PRIMARY KEY,
  url text NOT NULL CHECK (url ~ '^https?://'),
  kinds text[] NOT NULL DEFAULT '{}',
  owner text NOT NULL,
  -- The owner's scope: role, place ("01", "01/00004") and organization.
  owner_role text NOT NULL,
  owner_place text NOT NULL DEFAULT '',
  owner_organization_id text NOT NULL DEFAULT '',
  -- The signing key, base64.
  secret text NOT NULL,
  create_time timestamptz NOT NULL DEFAULT now(),
  delete_time timestamptz
);

CREATE TABLE reports.deliveries (
  id bigserial PRIMARY KEY,
  webhook_id bigint NOT NULL REFERENCES reports.webhooks (id),
  alert_id bigint NOT NULL REFERENCES reports.alerts (id),
  -- The alert's change: a resolved alert is delivered again.
  event text NOT NULL,
  message_id text NOT NULL UNIQUE,
  state text NOT NULL DEFAULT 'PENDING' CHECK (state IN ('PENDING', 'DELIVERED', 'DEAD')),
  attempts integer NOT NULL DEFAULT 0,
  last_status integer NOT NULL DEFAULT 0,
  last_error text NOT NULL DEFAULT '',
  next_attempt_time timestamptz NOT NULL DEFAULT now(),
  deliver_time timestamptz,
  CONSTRAINT delivery_once UNIQUE (webhook_id, alert_id, event)
);

CREATE INDEX deliveries_due ON reports.deliveries (next_attempt_time) WHERE state = 'PENDING';
CREATE INDEX deliveries_by_webhook ON reports.deliveries (webhook_id, id);

-- Whether a principal of `role` at `place` (organization `org`) may see
-- alert `a`: central all; a unit its own and what is addressed to it; a
-- locality (or commune) its records' and what is addressed to it.
CREATE FUNCTION reports.alert_visible(a reports.alerts, role text, place text, org text)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN role = 'unit' THEN
      a.unit_id::text = org OR ('organizations/' || org) = ANY(a.addressees)
    WHEN place = '' THEN true
    WHEN place LIKE '%/%' THEN
      a.commune_place = place OR
      ('localities/' || split_part(place, '/', 1) || '/communes/' || split_part(place, '/', 2))
        = ANY(a.addressees)
    ELSE a.locality_id = place OR ('localities/' || place) = ANY(a.addressees)
  END
$$;
