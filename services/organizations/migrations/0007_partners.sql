-- Partners abroad and our organizations' partnerships with them.
CREATE TABLE organizations.partners (
  id bigserial PRIMARY KEY,
  display_name text NOT NULL CHECK (btrim(display_name) <> '' AND length(display_name) <= 512),
  kind text NOT NULL,
  country_code text CONSTRAINT partner_country_exists REFERENCES organizations.countries (code),
  note text NOT NULL DEFAULT '',
  search_name text GENERATED ALWAYS AS (organizations.fold_text(display_name)) STORED,
  revision bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX partners_by_country ON organizations.partners (country_code, id);

CREATE TABLE organizations.partnerships (
  id bigserial PRIMARY KEY,
  organization_id bigint NOT NULL CONSTRAINT partnership_organization_exists
    REFERENCES organizations.organizations (id),
  partner_id bigint NOT NULL CONSTRAINT partnership_partner_exists
    REFERENCES organizations.partners (id),
  since date,
  until date,
  status text NOT NULL,
  note text NOT NULL DEFAULT '',
  revision bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now(),
  CHECK (until IS NULL OR since IS NULL OR until >= since)
);

CREATE INDEX partnerships_by_organization ON organizations.partnerships (organization_id, id);
CREATE INDEX partnerships_by_partner ON organizations.partnerships (partner_id, id);
