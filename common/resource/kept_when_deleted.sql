-- Records that other services name are kept when deleted: their row stays,
-- marked with delete_time, so those names keep resolving. These two
-- triggers keep what the foreign keys held when a delete removed the row.
-- Each service's migrations include this with its own schema.

-- BEFORE INSERT OR UPDATE OF the referencing column. Arguments: the kept
-- table, the referencing column, the foreign key's constraint. A new
-- reference to a deleted row fails as one to a missing row does: that
-- constraint's own violation.
CREATE FUNCTION @schema@.refuse_deleted_reference() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  referenced bigint := (to_jsonb(NEW) ->> TG_ARGV[1])::bigint;
  deleted boolean;
BEGIN
  IF referenced IS NOT NULL THEN
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s WHERE id = $1 AND delete_time IS NOT NULL)',
                   TG_ARGV[0]) INTO deleted USING referenced;
    IF deleted THEN
      RAISE foreign_key_violation USING CONSTRAINT = TG_ARGV[2],
        MESSAGE = format('%s %s was deleted', TG_ARGV[0], referenced);
    END IF;
  END IF;
  RETURN NEW;
END $$;

-- BEFORE UPDATE OF delete_time, when it is first set. Arguments: pairs of
-- a constraint and a query of what still names the row ($1, its id). The
-- first pair whose query finds a row refuses the delete with that
-- constraint's violation, as the foreign key did.
CREATE FUNCTION @schema@.refuse_delete_while_named() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  named boolean;
BEGIN
  FOR pair IN 0 .. TG_NARGS / 2 - 1 LOOP
    EXECUTE format('SELECT EXISTS (%s)', TG_ARGV[2 * pair + 1]) INTO named USING OLD.id;
    IF named THEN
      RAISE foreign_key_violation USING CONSTRAINT = TG_ARGV[2 * pair],
        MESSAGE = format('%s %s is still named', TG_TABLE_NAME, OLD.id);
    END IF;
  END LOOP;
  RETURN NEW;
END $$;
