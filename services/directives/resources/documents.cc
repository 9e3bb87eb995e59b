// Documents: a directive and every document that concretizes it.
#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/api/locality_name.h"
#include "services/directives/resources/document_columns.h"
#include "services/directives/resources/resources.h"
#include "services/directives/symbol.h"

namespace caunoi::directives {
namespace {

constexpr resource::ConstraintRule kConstraints[] = {
    {"document_identity", "document.symbol", absl::StatusCode::kAlreadyExists,
     "this issuer already has a document with this symbol in this year"},
    {"document_identity_by_issuer", "document.symbol", absl::StatusCode::kAlreadyExists,
     "this issuer already has a document with this symbol in this year"},
    {"document_parent_exists", "document.parents", absl::StatusCode::kNotFound,
     "a parent document does not exist", "other documents concretize this one; unlink them first"},
    {"document_superseded_by_exists", "document.superseded_by", absl::StatusCode::kNotFound,
     "the superseding document does not exist",
     "another document is recorded as superseded by this one"},
};

constexpr absl::string_view kUpdatable[] = {
    "type", "symbol", "level", "issuing_body", "issuing_organization", "locality", "issue_date",
    "title", "summary", "status", "status_date", "superseded_by", "parents", "commune",
    // Set by the server whenever locality changes, never by the caller.
    "current_locality"};

constexpr std::pair<absl::string_view, v1::DocumentType> kTypeCodes[] = {
    {"CT", v1::DOCUMENT_TYPE_DIRECTIVE},
    {"TT", v1::DOCUMENT_TYPE_CIRCULAR},
    {"KH", v1::DOCUMENT_TYPE_PLAN},
    {"HD", v1::DOCUMENT_TYPE_GUIDANCE},
    {"KL", v1::DOCUMENT_TYPE_CONCLUSION},
    {"NQ", v1::DOCUMENT_TYPE_RESOLUTION},
    {"CTR", v1::DOCUMENT_TYPE_ACTION_PROGRAMME},
    {"QD", v1::DOCUMENT_TYPE_DECISION},
};

absl::Status Validate(const v1::Document& document) {
  CAUNOI_RETURN_IF_ERROR(resource::ValidateOptionalEnum(document.type(), "document.type"));
  CAUNOI_RETURN_IF_ERROR(resource::ValidateOptionalEnum(document.status(), "document.status"));
  absl::StatusOr<DocumentSymbol> symbol = ParseSymbol(document.symbol());
  if (!symbol.ok()) return InvalidFieldError("document.symbol", symbol.status().message());
  const v1::DocumentType coded = TypeOfCode(symbol->type_code);
  if (document.type() == v1::DOCUMENT_TYPE_UNSPECIFIED && coded == v1::DOCUMENT_TYPE_UNSPECIFIED) {
    return InvalidFieldError("document.type",
                             absl::StrCat("is required: type code \"", symbol->type_code,
                                          "\" does not say which type it is"));
  }
  if (document.type() != v1::DOCUMENT_TYPE_UNSPECIFIED && coded != v1::DOCUMENT_TYPE_UNSPECIFIED &&
      document.type() != coded) {
    return InvalidFieldError("document.type",
                             absl::StrCat(api::EnumToken(document.type()), " disagrees with the ",
                                          symbol->type_code, " in the symbol"));
  }
  CAUNOI_RETURN_IF_ERROR(resource::ValidateEnum(document.level(), "document.level"));
  CAUNOI_RETURN_IF_ERROR(
      api::ValidateText(document.issuing_body(), "document.issuing_body", {.required = true}));
  CAUNOI_RETURN_IF_ERROR(resource::ValidateReference(
      document.issuing_organization(), "organizations/{}", "document.issuing_organization", false));
  if (document.locality().empty()) {
    if (document.level() != v1::DOCUMENT_LEVEL_CENTRAL) {
      return InvalidFieldError("document.locality", "is required below the central level");
    }
  } else {
    CAUNOI_RETURN_IF_ERROR(ParseLocalityName(document.locality(), "document.locality").status());
  }
  if (!document.commune().empty()) {
    if (document.locality().empty()) {
      return InvalidFieldError("document.commune", "is set only with document.locality");
    }
    CAUNOI_RETURN_IF_ERROR(ParseCommuneName(document.commune(), "document.commune").status());
  }
  if (!document.has_issue_date()) return InvalidFieldError("document.issue_date", "is required");
  CAUNOI_RETURN_IF_ERROR(
      api::ToPastCivilDay(document.issue_date(), "document.issue_date").status());
  CAUNOI_RETURN_IF_ERROR(
      api::ValidateText(document.title(), "document.title", {.required = true, .max_chars = 2000}));
  CAUNOI_RETURN_IF_ERROR(api::ValidateText(document.summary(), "document.summary",
                                           {.max_chars = 20000, .multiline = true}));
  CAUNOI_RETURN_IF_ERROR(resource::ValidateOptionalDate(
      document.has_status_date(), document.status_date(), "document.status_date"));
  if (document.status() == v1::DOCUMENT_STATUS_SUPERSEDED) {
    CAUNOI_RETURN_IF_ERROR(resource::ValidateReference(document.superseded_by(), kDocumentPattern,
                                                       "document.superseded_by", true));
  } else if (!document.superseded_by().empty()) {
    return InvalidFieldError("document.superseded_by", "is only set when status is SUPERSEDED");
  }
  // A document concretizes a handful of others; the cap keeps the cycle
  // check and the reads it needs small.
  constexpr int kMaxParents = 50;
  CAUNOI_RETURN_IF_ERROR(resource::ValidateReferenceList(document.parents(), kDocumentPattern,
                                                         "document.parents", kMaxParents));
  for (int i = 0; i < document.parents_size(); ++i) {
    if (document.parents(i) == document.name()) {
      return InvalidFieldError(absl::StrCat("document.parents[", i, "]"),
                               "a document cannot concretize itself");
    }
  }
  return absl::OkStatus();
}

std::vector<pg::Param> Columns(const v1::Document& document) {
  const DocumentSymbol symbol = *ParseSymbol(document.symbol());
  const v1::DocumentType type = document.type() != v1::DOCUMENT_TYPE_UNSPECIFIED
                                    ? document.type()
                                    : TypeOfCode(symbol.type_code);
  const v1::DocumentStatus status = document.status() == v1::DOCUMENT_STATUS_UNSPECIFIED
                                        ? v1::DOCUMENT_STATUS_ISSUED
                                        : document.status();
  resource::Params params;
  params.Text(api::EnumToken(type))
      .Text(document.symbol())
      .Int64(symbol.number)
      .Text(symbol.type_code)
      .Text(symbol.issuer_code)
      .Text(symbol.normalized)
      .Text(api::EnumToken(document.level()))
      .Text(document.issuing_body())
      .Append({resource::IdParam(document.issuing_organization())});
  if (document.locality().empty()) {
    params.Null().Null();
  } else {
    params.Text(*ParseLocalityName(document.locality(), "document.locality"))
        .TextOrNull(api::ResourceId(document.current_locality()));
  }
  params.Date(document.issue_date(), true)
      .Text(document.title())
      .Text(document.summary())
      .Text(api::EnumToken(status))
      .Date(document.status_date(), document.has_status_date())
      .Append({resource::IdParam(document.superseded_by()), resource::IdParam(document.commune())});
  return params.Take();
}

// Links are replaced whole. The graph lock keeps two concurrent edits from
// closing a cycle between them, and a parent's issue date from moving past
// a child being linked to it. A new document has no children, so it
// closes no cycle: creates share the lock, letting them run side by side,
// and wait only for updates.
constexpr pg::Statement kLockGraph{
    "document_lock_graph", "SELECT pg_advisory_xact_lock(hashtext('directives.document_links'))"};
constexpr pg::Statement kShareGraph{
    "document_share_graph",
    "SELECT pg_advisory_xact_lock_shared(hashtext('directives.document_links'))"};
constexpr pg::Statement kRemoveLinks{"document_remove_links",
                                     "DELETE FROM directives.document_links WHERE child_id = $1"};
constexpr pg::Statement kAddLinks{"document_add_links",
                                  "INSERT INTO directives.document_links (child_id, parent_id)"
                                  " SELECT $1, unnest($2::bigint[])"};
// A parent issued after its child, or a cycle through this document. The
// dates are looked up per link, so that the plan starts from this
// document's few links: joined, the planner may walk every document (seen
// with the links table nearly empty: 7,000 buffers a create).
#define CAUNOI_ISSUED(id) "(SELECT d.issue_date FROM directives.documents d WHERE d.id = " id ")"
constexpr pg::Statement kCheckLinks{
    "document_check_links",
    "SELECT"
    " (SELECT min(l.parent_id) FROM directives.document_links l"
    "   WHERE l.child_id = $1 AND " CAUNOI_ISSUED("l.parent_id") " > " CAUNOI_ISSUED("$1") "),"
    " (SELECT min(l.child_id) FROM directives.document_links l"
    "   WHERE l.parent_id = $1 AND " CAUNOI_ISSUED("l.parent_id") " > " CAUNOI_ISSUED(
        "l.child_id") "),"
    " EXISTS (WITH RECURSIVE up AS ("
    "   SELECT parent_id FROM directives.document_links WHERE child_id = $1"
    "   UNION SELECT l.parent_id FROM directives.document_links l"
    "     JOIN up ON l.child_id = up.parent_id)"
    "   SELECT 1 FROM up WHERE parent_id = $1)"};
#undef CAUNOI_ISSUED

absl::Status WriteLinks(pg::Connection& connection, absl::string_view id,
                        const v1::Document& document, bool created) {
  // A new document has no links yet: without parents it gets none, and
  // there is nothing to lock, add or check (four statements a create).
  if (created && document.parents().empty()) return absl::OkStatus();
  CAUNOI_RETURN_IF_ERROR(connection.Execute(created ? kShareGraph : kLockGraph).status());
  if (!created) {
    // Two statements: a data-modifying CTE would not see its own DELETE.
    CAUNOI_RETURN_IF_ERROR(connection.Execute(kRemoveLinks, {std::string(id)}).status());
  }
  CAUNOI_RETURN_IF_ERROR(
      connection.Execute(kAddLinks, {std::string(id), resource::IdArray(document.parents())})
          .status());
  CAUNOI_ASSIGN_OR_RETURN(pg::Result check, connection.Execute(kCheckLinks, {std::string(id)}));
  if (!check.IsNull(0, 0)) {
    return InvalidFieldError("document.parents",
                             absl::StrCat("directives/", check.Text(0, 0),
                                          " was issued after this document; a parent must be "
                                          "issued no later than the documents concretizing it"));
  }
  if (!check.IsNull(0, 1)) {
    return InvalidFieldError("document.issue_date",
                             absl::StrCat("directives/", check.Text(0, 1),
                                          " concretizes this document and was issued before it"));
  }
  if (check.Bool(0, 2)) {
    return InvalidFieldError("document.parents",
                             "this document is already above one of them: that would make a cycle");
  }
  return absl::OkStatus();
}

absl::StatusOr<pg::Param> YearFilter(const api::FilterTerm& term, absl::string_view) {
  int year;
  if (!absl::SimpleAtoi(term.value, &year) || year < 1900 || year > 9999) {
    return InvalidFieldError("filter", "year must be a four-digit year");
  }
  return term.value;
}

// Any spelling of a symbol matches its normalized form.
absl::StatusOr<pg::Param> SymbolFilter(const api::FilterTerm& term, absl::string_view) {
  absl::StatusOr<DocumentSymbol> symbol = ParseSymbol(term.value);
  if (!symbol.ok()) return InvalidFieldError("filter", symbol.status().message());
  return symbol->normalized;
}

absl::StatusOr<pg::Param> TextFilter(const api::FilterTerm& term, absl::string_view) {
  CAUNOI_ASSIGN_OR_RETURN(pg::Param text, resource::SearchFilter(term));
  return FoldSymbolWords(*text);
}

constexpr api::FilterField kFilterFields[] = {
    {"type", true, false, resource::EnumFilter<v1::DocumentType>},
    {"level", true, false, resource::EnumFilter<v1::DocumentLevel>},
    {"status", true, false, resource::EnumFilter<v1::DocumentStatus>},
    {"year", true, false, YearFilter},
    {"locality", true, false, resource::LocalityFilter},
    {"parent", true, false, resource::ReferenceFilter, kDocumentPattern},
    {"symbol", true, false, SymbolFilter},
    {"text", false, true, TextFilter},
    {"commune", true, false, resource::CommuneFilter},
    {"ancestor", true, false, resource::ReferenceFilter, kDocumentPattern},
};

constexpr pg::Statement kFindIdentity{
    "document_find_identity",
    "SELECT id FROM directives.documents"
    " WHERE CASE WHEN $6::bigint IS NOT NULL THEN issuing_organization_id = $6"
    "            ELSE issuing_organization_id IS NULL"
    "              AND coalesce(locality_id, '') = coalesce($1, '')"
    "              AND directives.fold_text(issuing_body) = directives.fold_text($2) END"
    "   AND normalized_symbol = $3"
    "   AND date_part('year', issue_date) = date_part('year', $4::date)"
    "   AND id <> coalesce($5::bigint, 0)"
    " LIMIT 1"};

// Inside a write: ALREADY_EXISTS naming the document that already has this
// issuer, normalized symbol and year.
absl::Status CheckIdentity(pg::Connection& connection, const v1::Document& document) {
  const DocumentSymbol symbol = *ParseSymbol(document.symbol());
  resource::Params params;
  if (document.locality().empty()) {
    params.Null();
  } else {
    params.Text(*ParseLocalityName(document.locality(), "document.locality"));
  }
  params.Text(document.issuing_body())
      .Text(symbol.normalized)
      .Date(document.issue_date(), true)
      .TextOrNull(document.name().empty() ? "" : api::ResourceId(document.name()))
      .TextOrNull(api::ResourceId(document.issuing_organization()));
  CAUNOI_ASSIGN_OR_RETURN(pg::Result found, connection.Execute(kFindIdentity, params.Take()));
  if (found.rows() == 0) return absl::OkStatus();
  const std::string existing = absl::StrCat("directives/", found.Text(0, 0));
  return ErrorWithReason(
      absl::StatusCode::kAlreadyExists,
      absl::StrCat(existing, " is already ", symbol.normalized, " of ",
                   document.issuing_organization().empty() ? document.issuing_body()
                                                           : document.issuing_organization(),
                   " in ", document.issue_date().year(),
                   " (symbols match whatever their spelling)"),
      "DOCUMENT_EXISTS", {{"existing", existing}});
}

}  // namespace

v1::DocumentType TypeOfCode(absl::string_view type_code) {
  for (const auto& [code, type] : kTypeCodes) {
    if (code == type_code) return type;
  }
  return v1::DOCUMENT_TYPE_UNSPECIFIED;
}

v1::Document DocumentFromRow(resource::RowReader& row) {
  v1::Document document;
  document.set_name(api::FormatResourceName(kDocumentPattern, {row.Text()}));
  document.set_type(resource::EnumFromRow<v1::DocumentType>(row));
  document.set_symbol(row.Text());
  document.set_number(row.Int64());
  document.set_type_code(row.Text());
  document.set_issuer_code(row.Text());
  document.set_normalized_symbol(row.Text());
  document.set_level(resource::EnumFromRow<v1::DocumentLevel>(row));
  document.set_issuing_body(row.Text());
  if (auto id = row.OptionalText()) {
    document.set_issuing_organization(absl::StrCat("organizations/", *id));
  }
  if (auto id = row.OptionalText()) document.set_locality(LocalityName(*id));
  if (auto id = row.OptionalText()) document.set_current_locality(LocalityName(*id));
  if (auto date = row.OptionalDate()) *document.mutable_issue_date() = *date;
  document.set_title(row.Text());
  document.set_summary(row.Text());
  document.set_status(resource::EnumFromRow<v1::DocumentStatus>(row));
  if (auto date = row.OptionalDate()) *document.mutable_status_date() = *date;
  if (auto id = row.OptionalText()) {
    document.set_superseded_by(api::FormatResourceName(kDocumentPattern, {*id}));
  }
  for (absl::string_view id : absl::StrSplit(row.Text(), ',', absl::SkipEmpty())) {
    document.add_parents(api::FormatResourceName(kDocumentPattern, {std::string(id)}));
  }
  if (auto code = row.OptionalText()) {
    document.set_commune(CommuneName(api::ResourceId(document.current_locality()), *code));
  }
  resource::ReadStandardColumns(row, document);
  ReadDeleteTime(row, document);
  return document;
}

const resource::ResourceSpec<v1::Document> kDocumentSpec = {
    .table =
        {
            .pattern = kDocumentPattern,
            // Deleted ones too: what other records name keeps resolving.
            .select = {"document_get", "SELECT " CAUNOI_DOCUMENT_COLUMNS
                                       " FROM directives.document_rows d WHERE d.id = $1"},
            .insert = {"document_insert",
                       "INSERT INTO directives.documents (type, symbol, number, type_code,"
                       " issuer_code, normalized_symbol, level, issuing_body,"
                       " issuing_organization_id, locality_id, current_locality_id, issue_date,"
                       " title, summary, status, status_date, superseded_by_id, commune_code)"
                       " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,"
                       " $15, $16, $17, $18) RETURNING id"},
            .update = {"document_update",
                       "UPDATE directives.documents SET type = $3, symbol = $4, number = $5,"
                       " type_code = $6, issuer_code = $7, normalized_symbol = $8, level = $9,"
                       " issuing_body = $10, issuing_organization_id = $11, locality_id = $12,"
                       " current_locality_id = $13, issue_date = $14, title = $15,"
                       " summary = $16, status = $17, status_date = $18,"
                       " superseded_by_id = $19, commune_code = $20, revision = revision + 1,"
                       " update_time = now()"
                       " WHERE id = $1 AND revision = $2 RETURNING id"},
            .remove = {"document_delete",
                       "UPDATE directives.documents SET delete_time = now(),"
                       " revision = revision + 1, update_time = now()"
                       " WHERE id = $1 AND revision = $2 RETURNING id"},
            .from_row = DocumentFromRow,
            .constraints = kConstraints,
            .write_children = WriteLinks,
        },
    .field = "document",
    .updatable = kUpdatable,
    .validate = Validate,
    .columns = Columns,
    .check = CheckIdentity,
};

// $13: the current unit of the locality filter, resolved by the handler.
const resource::ListSpec kDocumentList = {
    .statement = {"document_list",
                  "SELECT " CAUNOI_DOCUMENT_COLUMNS " FROM directives.documents d"
                  " WHERE ($1::bigint IS NULL OR d.id > $1)"
                  "   AND ($3::text IS NULL OR d.type = $3)"
                  "   AND ($4::text IS NULL OR d.level = $4)"
                  "   AND ($5::text IS NULL OR d.status = $5)"
                  "   AND ($6::int IS NULL OR date_part('year', d.issue_date) = $6)"
                  "   AND ($7::text IS NULL OR d.locality_id = $7"
                  "        OR d.current_locality_id = $13::text)"
                  "   AND ($8::bigint IS NULL OR EXISTS (SELECT 1 FROM directives.document_links l"
                  "        WHERE l.child_id = d.id AND l.parent_id = $8))"
                  "   AND ($9::text IS NULL OR d.normalized_symbol = $9)"
                  "   AND ($10::text IS NULL OR NOT EXISTS (SELECT 1 FROM unnest(string_to_array("
                  "        directives.fold_text($10), ' ')) w"
                  "        WHERE w <> '' AND strpos(d.search_text, w) = 0))"
                  "   AND ($11::text IS NULL OR d.commune_code = $11)"
                  // Below $12 at any depth.
                  "   AND ($12::bigint IS NULL OR d.id IN (SELECT c.descendant_id"
                  "        FROM directives.document_closure c WHERE c.ancestor_id = $12))"
                  " ORDER BY d.id LIMIT $2"},
    .filter_fields = kFilterFields,
};

}  // namespace caunoi::directives
