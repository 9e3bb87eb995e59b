-- Organizations in the order a tree is paged, by the chain of ids from the
-- root (ancestors and the organization's own id): the organizations below
-- one are one range of this index, so a page of a subtree of thousands
-- reads its own rows instead of the whole subtree's.
CREATE INDEX organizations_by_path ON organizations.organization_rows ((ancestors || id))
  WHERE delete_time IS NULL;
