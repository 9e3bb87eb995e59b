-- Activities units hold, and proposals raised with their assignment
-- history. Organizations, partners, countries and documents belong to other
-- services: checked there at write time, stored as ids.
CREATE TABLE reports.activities (
  id bigserial PRIMARY KEY,
  title text NOT NULL CHECK (btrim(title) <> ''),
  start_date date NOT NULL,
  end_date date,
  organizer_id bigint,
  locality_id text,
  current_locality_id text,
  kind text NOT NULL,
  partner_countries text[] NOT NULL DEFAULT '{}',
  partner_ids bigint[] NOT NULL DEFAULT '{}',
  participants bigint NOT NULL DEFAULT 0 CHECK (participants >= 0),
  document_ids bigint[] NOT NULL DEFAULT '{}',
  search_title text GENERATED ALWAYS AS (reports.fold_text(title)) STORED,
  revision bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now(),
  CHECK (end_date IS NULL OR end_date >= start_date)
);

CREATE INDEX activities_by_locality ON reports.activities (current_locality_id, id);
CREATE INDEX activities_by_country ON reports.activities USING gin (partner_countries);
CREATE INDEX activities_by_document ON reports.activities USING gin (document_ids);

CREATE TABLE reports.proposals (
  id bigserial PRIMARY KEY,
  text text NOT NULL CHECK (btrim(text) <> ''),
  raised_by_id bigint,
  raised_in text NOT NULL DEFAULT '',
  raised_date date NOT NULL,
  assignee_id bigint,
  status text NOT NULL,
  resolution_note text NOT NULL DEFAULT '',
  resolved_date date,
  revision bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX proposals_by_assignee ON reports.proposals (assignee_id, status, raised_date);

CREATE TABLE reports.proposal_assignments (
  proposal_id bigint NOT NULL REFERENCES reports.proposals (id) ON DELETE CASCADE,
  assignee_id bigint NOT NULL,
  assign_time timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (proposal_id, assign_time)
);

-- Every new assignee joins the history, whoever writes the proposal.
CREATE FUNCTION reports.record_assignment() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.assignee_id IS NOT NULL
     AND (TG_OP = 'INSERT' OR NEW.assignee_id IS DISTINCT FROM OLD.assignee_id) THEN
    INSERT INTO reports.proposal_assignments (proposal_id, assignee_id)
      VALUES (NEW.id, NEW.assignee_id);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER proposals_record_assignment
  AFTER INSERT OR UPDATE OF assignee_id ON reports.proposals
  FOR EACH ROW EXECUTE FUNCTION reports.record_assignment();
