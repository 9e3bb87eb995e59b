-- Every (ancestor, descendant) pair of the document graph with the number
-- of paths between them, kept as links are written: the documents below a
-- directive are one index range instead of a walk of the links on every
-- read. Counting paths lets a link be removed without walking anything
-- again: the graph has no cycles (document_check_links), so the paths a
-- link carries are those reaching its parent times those leaving its child.
CREATE TABLE directives.document_closure (
  ancestor_id bigint NOT NULL,
  descendant_id bigint NOT NULL,
  paths bigint NOT NULL CHECK (paths >= 0),  -- 0 only until the link's removal ends
  PRIMARY KEY (ancestor_id, descendant_id)
);
CREATE INDEX document_closure_by_descendant
  ON directives.document_closure (descendant_id, ancestor_id);
CREATE INDEX document_closure_emptied ON directives.document_closure (ancestor_id)
  WHERE paths = 0;

INSERT INTO directives.document_closure (ancestor_id, descendant_id, paths)
WITH RECURSIVE walk (ancestor_id, descendant_id) AS (
  SELECT parent_id, child_id FROM directives.document_links
  UNION ALL
  SELECT w.ancestor_id, l.child_id
  FROM walk w JOIN directives.document_links l ON l.parent_id = w.descendant_id)
SELECT ancestor_id, descendant_id, count(*) FROM walk GROUP BY 1, 2;

-- Adds (sign 1) or takes away (sign -1) the paths through the link from
-- `parent` to `child`; pairs left without a path go.
CREATE FUNCTION directives.close_link(parent bigint, child bigint, sign bigint)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF sign > 0 THEN
    INSERT INTO directives.document_closure AS c (ancestor_id, descendant_id, paths)
    SELECT a.ancestor_id, b.descendant_id, a.paths * b.paths
    FROM (SELECT ancestor_id, paths FROM directives.document_closure
          WHERE descendant_id = parent UNION ALL SELECT parent, 1) a
    CROSS JOIN (SELECT descendant_id, paths FROM directives.document_closure
                WHERE ancestor_id = child UNION ALL SELECT child, 1) b
    ORDER BY 1, 2
    ON CONFLICT (ancestor_id, descendant_id) DO UPDATE SET paths = c.paths + EXCLUDED.paths;
  ELSE
    UPDATE directives.document_closure c SET paths = c.paths - a.paths * b.paths
    FROM (SELECT ancestor_id, paths FROM directives.document_closure
          WHERE descendant_id = parent UNION ALL SELECT parent, 1) a
    CROSS JOIN (SELECT descendant_id, paths FROM directives.document_closure
                WHERE ancestor_id = child UNION ALL SELECT child, 1) b
    WHERE c.ancestor_id = a.ancestor_id AND c.descendant_id = b.descendant_id;
    DELETE FROM directives.document_closure WHERE paths = 0;
  END IF;
END;
$$;

CREATE FUNCTION directives.keep_document_closure() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    PERFORM directives.close_link(OLD.parent_id, OLD.child_id, -1);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM directives.close_link(NEW.parent_id, NEW.child_id, 1);
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER document_links_closed AFTER INSERT OR UPDATE OR DELETE
  ON directives.document_links FOR EACH ROW EXECUTE FUNCTION directives.keep_document_closure();

CREATE FUNCTION directives.empty_document_closure() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE directives.document_closure;
  RETURN NULL;
END;
$$;

CREATE TRIGGER document_links_emptied AFTER TRUNCATE ON directives.document_links
  FOR EACH STATEMENT EXECUTE FUNCTION directives.empty_document_closure();
