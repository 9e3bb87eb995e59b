-- Vietnamese organizations, their member-of hierarchy and dated membership
-- figures. Constraint names are part of the contract: the store maps each
-- to the request field it concerns.
CREATE TABLE organizations.organizations (
  id bigserial PRIMARY KEY,
  display_name text NOT NULL CHECK (btrim(display_name) <> '' AND length(display_name) <= 512),
  english_name text NOT NULL DEFAULT '',
  abbreviation text NOT NULL DEFAULT '',
  kind text NOT NULL CHECK (kind IN ('FRIENDSHIP_UNION', 'FRIENDSHIP_ASSOCIATION',
    'FATHERLAND_FRONT_COMMITTEE', 'SOCIO_POLITICAL_ORGANIZATION', 'PARTY_COMMITTEE',
    'PEOPLES_COMMITTEE', 'DEPARTMENT', 'OTHER')),
  level text NOT NULL CHECK (level IN ('CENTRAL', 'PROVINCIAL', 'COMMUNE')),
  locality_id text CONSTRAINT organization_locality_exists
    REFERENCES organizations.localities (id),
  parent_id bigint CONSTRAINT organization_parent_exists
    REFERENCES organizations.organizations (id),
  country_code text CONSTRAINT organization_country_exists
    REFERENCES organizations.countries (code),
  founded date,
  status text NOT NULL CHECK (status IN ('ACTIVE', 'DISSOLVED', 'MERGED')),
  status_date date,
  merged_into_id bigint CONSTRAINT organization_merged_into_exists
    REFERENCES organizations.organizations (id),
  -- The member-of chain above this organization, root first, kept by the
  -- triggers below so subtree queries are one indexed lookup.
  ancestors bigint[] NOT NULL DEFAULT '{}',
  search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig,
    organizations.fold_text(display_name || ' ' || english_name || ' ' || abbreviation))) STORED,
  revision bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now(),
  CHECK (parent_id <> id),
  CHECK ((status = 'MERGED') = (merged_into_id IS NOT NULL))
);

CREATE INDEX organizations_by_parent ON organizations.organizations (parent_id, id);
CREATE INDEX organizations_by_locality ON organizations.organizations (locality_id, id);
CREATE INDEX organizations_by_country ON organizations.organizations (country_code, id);
CREATE INDEX organizations_by_kind ON organizations.organizations (kind, id);
CREATE INDEX organizations_search ON organizations.organizations USING gin (search_vector);
CREATE INDEX organizations_by_ancestor ON organizations.organizations USING gin (ancestors);

CREATE FUNCTION organizations.set_ancestors() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' OR NEW.parent_id IS DISTINCT FROM OLD.parent_id THEN
    NEW.ancestors := coalesce(
      (SELECT p.ancestors || p.id FROM organizations.organizations p WHERE p.id = NEW.parent_id),
      '{}');
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER organizations_set_ancestors
  BEFORE INSERT OR UPDATE OF parent_id ON organizations.organizations
  FOR EACH ROW EXECUTE FUNCTION organizations.set_ancestors();

-- A move carries the whole subtree: each descendant keeps the part of its
-- chain below the moved organization under the new chain above it.
CREATE FUNCTION organizations.move_descendants() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE organizations.organizations d
     SET ancestors = NEW.ancestors || NEW.id
                     || d.ancestors[array_position(d.ancestors, NEW.id) + 1:]
   WHERE d.ancestors @> ARRAY[NEW.id];
  RETURN NULL;
END $$;

CREATE TRIGGER organizations_move_descendants
  AFTER UPDATE OF parent_id ON organizations.organizations
  FOR EACH ROW WHEN (NEW.parent_id IS DISTINCT FROM OLD.parent_id)
  EXECUTE FUNCTION organizations.move_descendants();

CREATE TABLE organizations.member_counts (
  id bigserial PRIMARY KEY,
  organization_id bigint NOT NULL CONSTRAINT member_count_organization_exists
    REFERENCES organizations.organizations (id) ON DELETE CASCADE,
  count bigint NOT NULL CHECK (count BETWEEN 0 AND 100000000),
  as_of date NOT NULL,
  at_least boolean NOT NULL DEFAULT false,
  source text NOT NULL DEFAULT '',
  revision bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX member_counts_latest ON organizations.member_counts (organization_id, as_of DESC, id DESC);
