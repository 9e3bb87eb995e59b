#include "services/directives/directives_store.h"

#include "absl/strings/str_cat.h"
#include "common/api/dates.h"
#include "common/api/locality_name.h"
#include "common/pg/transaction.h"
#include "common/resource/row.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "services/directives/resources/resources.h"
#include "services/directives/symbol.h"

namespace caunoi::directives {
namespace {

constexpr pg::Statement kFindIdentity{
    "document_find_identity",
    "SELECT id FROM directives.documents"
    " WHERE coalesce(locality_id, '') = coalesce($1, '')"
    "   AND directives.fold_text(issuing_body) = directives.fold_text($2)"
    "   AND normalized_symbol = $3"
    "   AND date_part('year', issue_date) = date_part('year', $4::date)"
    "   AND id <> coalesce($5::bigint, 0)"
    " LIMIT 1"};

// Each descendant once, at its shortest depth (the graph may reach a
// document by several paths), with its lag from the root in days.
constexpr pg::Statement kCascade{
    "document_cascade",
    "WITH RECURSIVE below AS ("
    "   SELECT l.child_id AS id, 1 AS depth FROM directives.document_links l"
    "    WHERE l.parent_id = $1"
    "   UNION ALL SELECT l.child_id, b.depth + 1 FROM directives.document_links l"
    "    JOIN below b ON l.parent_id = b.id WHERE b.depth < 32),"
    " shortest AS (SELECT id, min(depth) AS depth FROM below GROUP BY id)"
    " SELECT s.id::text, s.depth, d.issue_date - r.issue_date"
    " FROM shortest s JOIN directives.documents d ON d.id = s.id"
    " JOIN directives.documents r ON r.id = $1"
    " ORDER BY s.depth, d.issue_date, d.id"};

constexpr pg::Statement kChangesAfter{
    "document_changes_after",
    "SELECT c.seq::text, c.document_id::text, c.action, " CAUNOI_MICROS(
        "c.time") " FROM directives.document_changes c WHERE c.seq > $1 ORDER BY c.seq LIMIT $2"};
constexpr pg::Statement kLatestChange{
    "document_latest_change", "SELECT coalesce(max(seq), 0) FROM directives.document_changes"};

pg::TransactionOptions ReadOnly(absl::Time deadline) {
  return pg::TransactionOptions{.read_only = true, .deadline = deadline};
}

}  // namespace

absl::Status DirectivesStore::CheckIdentity(pg::Connection& connection,
                                            const v1::Document& document) {
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
      .TextOrNull(document.name().empty() ? "" : api::ResourceId(document.name()));
  CAUNOI_ASSIGN_OR_RETURN(pg::Result found, connection.Execute(kFindIdentity, params.Take()));
  if (found.rows() == 0) return absl::OkStatus();
  const std::string existing = absl::StrCat("directives/", found.Text(0, 0));
  return ErrorWithReason(absl::StatusCode::kAlreadyExists,
                         absl::StrCat(existing, " is already ", symbol.normalized, " of ",
                                      document.issuing_body(), " in ", document.issue_date().year(),
                                      " (symbols match whatever their spelling)"),
                         "DOCUMENT_EXISTS", {{"existing", existing}});
}

absl::StatusOr<v1::GetCascadeResponse> DirectivesStore::GetCascade(absl::string_view name,
                                                                   absl::string_view id,
                                                                   absl::Time deadline) {
  return pg::Transact<v1::GetCascadeResponse>(
      pool_, ReadOnly(deadline),
      [&](pg::Connection& connection) -> absl::StatusOr<v1::GetCascadeResponse> {
        v1::GetCascadeResponse response;
        CAUNOI_ASSIGN_OR_RETURN(*response.mutable_root(),
                                resources_.Read(connection, kDocumentSpec.table, name, id));
        CAUNOI_ASSIGN_OR_RETURN(pg::Result below, connection.Execute(kCascade, {std::string(id)}));
        for (int i = 0; i < below.rows(); ++i) {
          resource::RowReader row(below, i);
          const std::string child_id = row.Text();
          v1::CascadeEntry* entry = response.add_entries();
          CAUNOI_ASSIGN_OR_RETURN(
              *entry->mutable_document(),
              resources_.Read(connection, kDocumentSpec.table,
                              api::FormatResourceName(kDocumentPattern, {child_id}), child_id));
          entry->set_depth(static_cast<int32_t>(row.Int64()));
          entry->set_lag_days(static_cast<int32_t>(row.Int64()));
        }
        return response;
      });
}

absl::StatusOr<std::vector<v1::DocumentChange>> DirectivesStore::ChangesAfter(int64_t after_seq,
                                                                              int limit,
                                                                              absl::Time deadline) {
  return pg::Transact<std::vector<v1::DocumentChange>>(
      pool_, ReadOnly(deadline),
      [&](pg::Connection& connection) -> absl::StatusOr<std::vector<v1::DocumentChange>> {
        CAUNOI_ASSIGN_OR_RETURN(
            pg::Result rows,
            connection.Execute(kChangesAfter, {absl::StrCat(after_seq), absl::StrCat(limit)}));
        std::vector<v1::DocumentChange> changes(rows.rows());
        for (int i = 0; i < rows.rows(); ++i) {
          resource::RowReader row(rows, i);
          v1::DocumentChange& change = changes[i];
          change.set_cursor(row.Text());
          const std::string id = row.Text();
          change.set_name(api::FormatResourceName(kDocumentPattern, {id}));
          change.set_action(row.Text());
          row.Timestamp(change.mutable_time());
          absl::StatusOr<v1::Document> document =
              resources_.Read(connection, kDocumentSpec.table, change.name(), id);
          if (document.ok()) {
            *change.mutable_document() = *std::move(document);
          } else if (document.status().code() != absl::StatusCode::kNotFound) {
            return document.status();
          }
        }
        return changes;
      });
}

absl::StatusOr<int64_t> DirectivesStore::LatestChange(absl::Time deadline) {
  return pg::Transact<int64_t>(
      pool_, ReadOnly(deadline), [&](pg::Connection& connection) -> absl::StatusOr<int64_t> {
        CAUNOI_ASSIGN_OR_RETURN(pg::Result result, connection.Execute(kLatestChange));
        return result.Int64(0, 0);
      });
}

absl::StatusOr<std::vector<v1::AuditRecord>> DirectivesStore::ListAuditRecords(
    absl::string_view resource, absl::string_view before_id, int limit, absl::Time deadline) {
  return pg::Transact<std::vector<v1::AuditRecord>>(
      pool_, ReadOnly(deadline), [&](pg::Connection& connection) {
        return resources_.log().List(connection, resource, before_id, limit);
      });
}

}  // namespace caunoi::directives
