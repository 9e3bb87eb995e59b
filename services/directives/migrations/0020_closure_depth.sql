-- Each pair of the closure keeps the length of its shortest path, so a
-- cascade is one index range of the closure instead of a walk of the links
-- and a grouping of every path on each read. Adding a link can only
-- shorten a pair's path; removing one may lengthen the pairs it served,
-- which are then walked again from each ancestor of the link's parent
-- (few: a document's chain up to the centre), a rare write.
ALTER TABLE directives.document_closure ADD COLUMN depth int NOT NULL DEFAULT 1;

-- The shortest depth below each of `ancestors` walked again from the links.
CREATE FUNCTION directives.walk_closure_depths(ancestors bigint[])
RETURNS void LANGUAGE sql AS $$
  UPDATE directives.document_closure c SET depth = w.depth
  FROM (WITH RECURSIVE walk (ancestor_id, descendant_id, depth) AS (
          SELECT l.parent_id, l.child_id, 1 FROM directives.document_links l
          WHERE l.parent_id = ANY (ancestors)
          UNION
          SELECT w.ancestor_id, l.child_id, w.depth + 1
          FROM walk w JOIN directives.document_links l ON l.parent_id = w.descendant_id)
        SELECT ancestor_id, descendant_id, min(depth) AS depth FROM walk GROUP BY 1, 2) w
  WHERE c.ancestor_id = w.ancestor_id AND c.descendant_id = w.descendant_id
    AND c.depth <> w.depth;
$$;

SELECT directives.walk_closure_depths(ARRAY(SELECT DISTINCT parent_id
                                            FROM directives.document_links));
ALTER TABLE directives.document_closure ALTER COLUMN depth DROP DEFAULT;

CREATE OR REPLACE FUNCTION directives.close_link(parent bigint, child bigint, sign bigint)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF sign > 0 THEN
    INSERT INTO directives.document_closure AS c (ancestor_id, descendant_id, paths, depth)
    SELECT a.ancestor_id, b.descendant_id, a.paths * b.paths, a.depth + 1 + b.depth
    FROM (SELECT ancestor_id, paths, depth FROM directives.document_closure
          WHERE descendant_id = parent UNION ALL SELECT parent, 1, 0) a
    CROSS JOIN (SELECT descendant_id, paths, depth FROM directives.document_closure
                WHERE ancestor_id = child UNION ALL SELECT child, 1, 0) b
    ORDER BY 1, 2
    ON CONFLICT (ancestor_id, descendant_id) DO UPDATE
      SET paths = c.paths + EXCLUDED.paths, depth = least(c.depth, EXCLUDED.depth);
  ELSE
    UPDATE directives.document_closure c SET paths = c.paths - a.paths * b.paths
    FROM (SELECT ancestor_id, paths FROM directives.document_closure
          WHERE descendant_id = parent UNION ALL SELECT parent, 1) a
    CROSS JOIN (SELECT descendant_id, paths FROM directives.document_closure
                WHERE ancestor_id = child UNION ALL SELECT child, 1) b
    WHERE c.ancestor_id = a.ancestor_id AND c.descendant_id = b.descendant_id;
    DELETE FROM directives.document_closure WHERE paths = 0;
    PERFORM directives.walk_closure_depths(ARRAY(
      SELECT ancestor_id FROM directives.document_closure WHERE descendant_id = parent
      UNION ALL SELECT parent));
  END IF;
END;
$$;
