-- Text search matches a symbol only in its normalized form, the one the
-- query is folded to, so "12-CT/TƯ" finds 12-CT/TW and never a provincial
-- 12-CT/TU (unaccent alone would turn TƯ into TU).
ALTER TABLE directives.documents DROP COLUMN search_text;
ALTER TABLE directives.documents ADD COLUMN search_text text GENERATED ALWAYS AS
  (directives.fold_text(normalized_symbol || ' ' || title || ' ' || summary)) STORED;
