#ifndef CAUNOI_COMMON_RESOURCE_RESOURCE_STORE_H_
#define CAUNOI_COMMON_RESOURCE_RESOURCE_STORE_H_

#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/pg/pool.h"
#include "common/pg/transaction.h"
#include "common/resource/resource_table.h"
#include "common/resource/state_json.h"
#include "common/resource/write_log.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"

// The standard methods over any ResourceTable, with the write contract in
// one place: request_id idempotency, etag checks, audit records, and
// constraint violations named by request field. Each runs in one
// transaction, so an error leaves nothing half-written.
namespace caunoi::resource {

// Extra checks that need the database (e.g. a hierarchy without cycles).
using WriteCheck = absl::FunctionRef<absl::Status(pg::Connection&)>;

// Internal helpers shared by the templates below.
absl::Status NotFound(absl::string_view name);
absl::Status StaleEtag(absl::string_view name, absl::string_view etag);
// The revision an etag stands for; nullopt when malformed.
std::optional<int64_t> RevisionOf(absl::string_view etag);
// Rewrites a constraint violation into the rule's error, if one matches.
absl::Status NameViolation(absl::Status status, std::span<const ConstraintRule> rules,
                           bool deleting);
// The error a write breaking `rule` answers with.
absl::Status ViolationError(const ConstraintRule& rule);

class ResourceStore {
 public:
  ResourceStore(pg::Pool& pool, absl::string_view schema) : pool_(pool), log_(schema) {}

  pg::Pool& pool() { return pool_; }
  WriteLog& log() { return log_; }

  // Up to `limit` audit records of `resource` with ids below `before_id`
  // (all when empty), newest first.
  absl::StatusOr<std::vector<v1::AuditRecord>> ListAudit(const AuditQuery& query,
                                                         absl::string_view before_id, int limit,
                                                         absl::Time deadline) {
    return pg::Transact<std::vector<v1::AuditRecord>>(
        pool_, {.read_only = true, .deadline = deadline},
        [&](pg::Connection& connection) { return log_.List(connection, query, before_id, limit); });
  }

  // The resource `name` (whose own id is `id`), read in `connection`.
  template <typename M>
  absl::StatusOr<M> Read(pg::Connection& connection, const ResourceTable<M>& table,
                         absl::string_view name, absl::string_view id) {
    CAUNOI_ASSIGN_OR_RETURN(pg::Result result, connection.Execute(table.select, {std::string(id)}));
    return FromSelect(table, result, name);
  }

  // The resource `name` from the result of `table.select`, for a read sent
  // together with other statements.
  template <typename M>
  absl::StatusOr<M> FromSelect(const ResourceTable<M>& table, const pg::Result& result,
                               absl::string_view name) {
    if (result.rows() == 0) return NotFound(name);
    RowReader row(result, 0);
    M found = table.from_row(row);
    // A nested name must match its parents too.
    if (found.name() != name) return NotFound(name);
    return found;
  }

  template <typename M>
  absl::StatusOr<M> Get(const ResourceTable<M>& table, absl::string_view name, absl::string_view id,
                        absl::Time deadline) {
    return pg::Transact<M>(
        pool_, {.read_only = true, .deadline = deadline},
        [&](pg::Connection& connection) { return Read(connection, table, name, id); });
  }

  template <typename M>
  absl::StatusOr<std::vector<M>> List(const pg::Statement& statement, M (*from_row)(RowReader&),
                                      const std::vector<pg::Param>& params, absl::Time deadline) {
    return pg::Transact<std::vector<M>>(
        pool_, {.read_only = true, .deadline = deadline},
        [&](pg::Connection& connection) -> absl::StatusOr<std::vector<M>> {
          CAUNOI_ASSIGN_OR_RETURN(pg::Result result, connection.Execute(statement, params));
          std::vector<M> rows;
          rows.reserve(result.rows());
          for (int i = 0; i < result.rows(); ++i) {
            RowReader row(result, i);
            rows.push_back(from_row(row));
          }
          return rows;
        });
  }

  // Inserts `resource` as `params` (parent ids, then columns) after `check`.
  // A request_id seen before returns what it created then. `admit` runs
  // first, before the request_id is looked at: it decides whether the caller
  // may write here at all (reading what it needs in the same transaction).
  template <typename M>
  absl::StatusOr<M> Create(const ResourceTable<M>& table, const M& resource,
                           const std::vector<pg::Param>& params, const WriteRequest& write,
                           WriteCheck check, WriteCheck admit) {
    absl::StatusOr<M> created = pg::Transact<M>(
        pool_, {.deadline = write.deadline}, [&](pg::Connection& connection) -> absl::StatusOr<M> {
          CAUNOI_RETURN_IF_ERROR(admit(connection));
          if (!write.request_id.empty()) {
            CAUNOI_ASSIGN_OR_RETURN(std::optional<std::string> earlier,
                                    log_.Claim(connection, write));
            if (earlier.has_value()) return ReadById(connection, table, *earlier);
          }
          CAUNOI_RETURN_IF_ERROR(check(connection));
          CAUNOI_ASSIGN_OR_RETURN(pg::Result inserted, connection.Execute(table.insert, params));
          // An insert guarded by its parent (INSERT ... SELECT ... WHERE)
          // returns no row when the parent is missing.
          if (inserted.rows() == 0) {
            return absl::NotFoundError("the parent of this resource does not exist");
          }
          const std::string id(inserted.Text(0, 0));
          if (table.write_children != nullptr) {
            CAUNOI_RETURN_IF_ERROR(table.write_children(connection, id, resource, true));
          }
          CAUNOI_ASSIGN_OR_RETURN(M after, ReadById(connection, table, id));
          log_.AppendCreated(connection, write, id,
                             {.action = "create",
                              .resource = after.name(),
                              .before_json = "",
                              .after_json = ToJson(after),
                              .changed_fields = {}});
          return after;
        });
    if (!created.ok()) return NameViolation(created.status(), table.constraints, false);
    return created;
  }

  // Reads the resource, checks `etag` (when given), lets `apply` change it
  // and return the new column values, and writes them only if nobody wrote
  // in between: of two updates from the same etag exactly one wins and the
  // other is ABORTED.
  template <typename M>
  absl::StatusOr<M> Update(
      const ResourceTable<M>& table, absl::string_view name, absl::string_view id,
      absl::string_view etag, const std::vector<std::string>& changed_fields,
      const WriteRequest& write,
      std::type_identity_t<
          absl::FunctionRef<absl::StatusOr<std::vector<pg::Param>>(pg::Connection&, M&)>>
          apply) {
    absl::StatusOr<M> updated = pg::Transact<M>(
        pool_, {.deadline = write.deadline}, [&](pg::Connection& connection) -> absl::StatusOr<M> {
          CAUNOI_ASSIGN_OR_RETURN(M current, Read(connection, table, name, id));
          CAUNOI_RETURN_IF_ERROR(RefuseDeleted(current));
          if (!etag.empty() && etag != current.etag()) return StaleEtag(name, etag);
          const std::string before = ToJson(current);
          const std::optional<int64_t> revision = RevisionOf(current.etag());
          CAUNOI_ASSIGN_OR_RETURN(std::vector<pg::Param> columns, apply(connection, current));
          Params params({std::string(id), absl::StrCat(revision.value_or(0))});
          params.Append(std::move(columns));
          CAUNOI_ASSIGN_OR_RETURN(pg::Result written,
                                  connection.Execute(table.update, params.Take()));
          if (written.rows() == 0) return StaleEtag(name, current.etag());
          if (table.write_children != nullptr) {
            CAUNOI_RETURN_IF_ERROR(table.write_children(connection, id, current, false));
          }
          CAUNOI_ASSIGN_OR_RETURN(M after, Read(connection, table, name, id));
          log_.Append(connection, write,
                      {.action = "update",
                       .resource = after.name(),
                       .before_json = before,
                       .after_json = ToJson(after),
                       .changed_fields = changed_fields});
          return after;
        });
    if (!updated.ok()) return NameViolation(updated.status(), table.constraints, false);
    return updated;
  }

  template <typename M>
  absl::Status Delete(const ResourceTable<M>& table, absl::string_view name, absl::string_view id,
                      absl::string_view etag, const WriteRequest& write) {
    absl::Status status = pg::RunInTransaction(
        pool_, {.deadline = write.deadline}, [&](pg::Connection& connection) -> absl::Status {
          CAUNOI_ASSIGN_OR_RETURN(M current, Read(connection, table, name, id));
          CAUNOI_RETURN_IF_ERROR(RefuseDeleted(current));
          if (!etag.empty() && etag != current.etag()) return StaleEtag(name, etag);
          const std::optional<int64_t> revision = RevisionOf(current.etag());
          CAUNOI_ASSIGN_OR_RETURN(
              pg::Result removed,
              connection.Execute(table.remove,
                                 {std::string(id), absl::StrCat(revision.value_or(0))}));
          if (removed.rows() == 0) return StaleEtag(name, current.etag());
          log_.Append(connection, write,
                      {.action = "delete",
                       .resource = current.name(),
                       .before_json = ToJson(current),
                       .after_json = "",
                       .changed_fields = {}});
          return absl::OkStatus();
        });
    return NameViolation(status, table.constraints, true);
  }

 private:
  // A resource kept when deleted is read, never changed again.
  template <typename M>
  static absl::Status RefuseDeleted(const M& current) {
    if constexpr (requires { current.has_delete_time(); }) {
      if (current.has_delete_time()) {
        return ErrorWithReason(absl::StatusCode::kFailedPrecondition,
                               absl::StrCat(current.name(), " was deleted; it is kept to be read"),
                               "DELETED");
      }
    }
    return absl::OkStatus();
  }

  // Reads by id alone, for a resource this store created (its name is
  // whatever the row says).
  template <typename M>
  absl::StatusOr<M> ReadById(pg::Connection& connection, const ResourceTable<M>& table,
                             absl::string_view id) {
    CAUNOI_ASSIGN_OR_RETURN(pg::Result result, connection.Execute(table.select, {std::string(id)}));
    if (result.rows() == 0) {
      return absl::NotFoundError(
          "the resource created under this request_id has since been deleted");
    }
    RowReader row(result, 0);
    return table.from_row(row);
  }

  pg::Pool& pool_;
  WriteLog log_;
};

}  // namespace caunoi::resource

#endif  // CAUNOI_COMMON_RESOURCE_RESOURCE_STORE_H_
