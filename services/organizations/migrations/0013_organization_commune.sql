-- An organization may sit in a commune, ward or special zone of its
-- province (a ward's People's Committee, a commune's Fatherland Front). The
-- commune is one in force when named; a commune later retired stays named.
ALTER TABLE organizations.organization_rows ADD COLUMN commune_code text
  CONSTRAINT organization_commune_exists REFERENCES organizations.communes (code);
CREATE OR REPLACE VIEW organizations.organizations AS
  SELECT * FROM organizations.organization_rows WHERE delete_time IS NULL;
CREATE INDEX organizations_by_commune ON organizations.organization_rows (commune_code, id)
  WHERE commune_code IS NOT NULL;
-- The number of communes in force, per province, read with the localities.
CREATE INDEX communes_in_force ON organizations.communes (province_id) WHERE valid_until IS NULL;
