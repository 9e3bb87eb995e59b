-- Partner countries and their relationship tiers over time. Tiers are a
-- short list per country, kept as JSON: [{"tier": "ASEAN_MEMBER",
-- "since": "1995-07-28", "until": null}, ...].
CREATE TABLE organizations.countries (
  code text PRIMARY KEY CHECK (code ~ '^[A-Z]{2}$'),
  vietnamese_name text NOT NULL CHECK (btrim(vietnamese_name) <> ''),
  english_name text NOT NULL DEFAULT '',
  tiers jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(tiers) = 'array'),
  search_name text GENERATED ALWAYS AS
    (organizations.fold_text(vietnamese_name || ' ' || english_name)) STORED,
  revision bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now()
);

-- Whether `tiers` holds `tier` on `day`.
CREATE FUNCTION organizations.has_tier(tiers jsonb, tier text, day date) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN EXISTS (
    SELECT 1 FROM jsonb_array_elements(tiers) t
     WHERE t->>'tier' = tier
       AND (t->>'since' IS NULL OR (t->>'since')::date <= day)
       AND (t->>'until' IS NULL OR day < (t->>'until')::date));

-- The tiers held on `day`, as text[].
CREATE FUNCTION organizations.tiers_on(tiers jsonb, day date) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN ARRAY(
    SELECT t->>'tier' FROM jsonb_array_elements(tiers) t
     WHERE (t->>'since' IS NULL OR (t->>'since')::date <= day)
       AND (t->>'until' IS NULL OR day < (t->>'until')::date)
     ORDER BY 1);

-- Reference data: ASEAN members with their dates of admission, and the
-- neighbours sharing a land border with Viet Nam (since before the records).
-- Every other tier is maintained by operators through the API.
INSERT INTO organizations.countries (code, vietnamese_name, english_name, tiers) VALUES
  ('BN', 'Brunei', 'Brunei Darussalam', '[{"tier": "ASEAN_MEMBER", "since": "1984-01-07"}]'),
  ('KH', 'Campuchia', 'Cambodia',
   '[{"tier": "NEIGHBOUR"}, {"tier": "ASEAN_MEMBER", "since": "1999-04-30"}]'),
  ('CN', 'Trung Quốc', 'China', '[{"tier": "NEIGHBOUR"}]'),
  ('ID', 'In-đô-nê-xi-a', 'Indonesia', '[{"tier": "ASEAN_MEMBER", "since": "1967-08-08"}]'),
  ('LA', 'Lào', 'Lao People''s Democratic Republic',
   '[{"tier": "NEIGHBOUR"}, {"tier": "ASEAN_MEMBER", "since": "1997-07-23"}]'),
  ('MY', 'Ma-lai-xi-a', 'Malaysia', '[{"tier": "ASEAN_MEMBER", "since": "1967-08-08"}]'),
  ('MM', 'Mi-an-ma', 'Myanmar', '[{"tier": "ASEAN_MEMBER", "since": "1997-07-23"}]'),
  ('PH', 'Phi-líp-pin', 'Philippines', '[{"tier": "ASEAN_MEMBER", "since": "1967-08-08"}]'),
  ('SG', 'Xin-ga-po', 'Singapore', '[{"tier": "ASEAN_MEMBER", "since": "1967-08-08"}]'),
  ('TH', 'Thái Lan', 'Thailand', '[{"tier": "ASEAN_MEMBER", "since": "1967-08-08"}]'),
  ('TL', 'Đông Ti-mo', 'Timor-Leste', '[{"tier": "ASEAN_MEMBER", "since": "2025-10-26"}]');
