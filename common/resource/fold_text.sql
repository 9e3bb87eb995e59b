-- Diacritic- and case-insensitive form for search: "Thành phố Hà Nội" and
-- "THANH PHO HA NOI" both fold to "thanh pho ha noi". unaccent() runs first
-- so lower() only meets ASCII whatever the database's ctype; NFC first so
-- decomposed input folds the same. Naming the dictionary makes it immutable.
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;
CREATE FUNCTION @schema@.fold_text(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  RETURN lower(public.unaccent('public.unaccent'::regdictionary, normalize($1, NFC)));
