#include "common/pg/migrator.h"

#include <algorithm>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/logging/log.h"
#include "common/status/status_macros.h"

namespace caunoi::pg {
namespace {

// "caunoi" in ASCII: the advisory lock every migrator takes.
constexpr absl::string_view kLockKey = "109270233149289";

constexpr Statement kLock{"migrator_lock", "SELECT pg_advisory_lock($1::bigint)"};
constexpr Statement kUnlock{"migrator_unlock", "SELECT pg_advisory_unlock($1::bigint)"};

absl::StatusOr<int> ApplyMissing(Connection& connection, const std::string& schema,
                                 std::span<const Migration> migrations) {
  CAUNOI_RETURN_IF_ERROR(
      connection.ExecuteScript(absl::StrCat("CREATE SCHEMA IF NOT EXISTS ", schema)).status());
  const std::string table = absl::StrCat(schema, ".schema_migrations");
  CAUNOI_RETURN_IF_ERROR(
      connection
          .ExecuteScript(absl::StrCat("CREATE TABLE IF NOT EXISTS ", table,
                                      " (version integer PRIMARY KEY, name text NOT NULL,"
                                      " applied_at timestamptz NOT NULL DEFAULT now())"))
          .status());
  CAUNOI_ASSIGN_OR_RETURN(Result applied_rows,
                          connection.ExecuteScript(absl::StrCat("SELECT version FROM ", table)));
  absl::flat_hash_set<int64_t> applied;
  int highest = 0;
  for (int row = 0; row < applied_rows.rows(); ++row) {
    CAUNOI_ASSIGN_OR_RETURN(int64_t version, applied_rows.Int64(row, 0));
    applied.insert(version);
    highest = std::max(highest, static_cast<int>(version));
  }

  std::vector<Migration> ordered(migrations.begin(), migrations.end());
  std::sort(ordered.begin(), ordered.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  // The schema-qualified table name is ours, not input; the version and
  // name go in as parameters.
  const std::string insert_sql =
      absl::StrCat("INSERT INTO ", table, " (version, name) VALUES ($1, $2)");
  const std::string insert_name = absl::StrCat("migrator_record_", schema);
  for (const Migration& migration : ordered) {
    if (applied.contains(migration.version)) continue;
    CAUNOI_RETURN_IF_ERROR(connection.ExecuteScript("BEGIN").status());
    absl::Status status = connection.ExecuteScript(migration.sql).status();
    if (status.ok()) {
      status = connection
                   .Execute(Statement{insert_name, insert_sql},
                            {absl::StrCat(migration.version), std::string(migration.name)})
                   .status();
    }
    if (status.ok()) status = connection.ExecuteScript("COMMIT").status();
    if (!status.ok()) {
      (void)connection.ExecuteScript("ROLLBACK");
      return absl::Status(status.code(), absl::StrCat("migration ", schema, "/", migration.name,
                                                      " failed: ", status.message()));
    }
    log::Info("migration.applied", {{"schema", schema},
                                    {"version", absl::StrCat(migration.version)},
                                    {"name", migration.name}});
    highest = std::max(highest, migration.version);
  }
  return highest;
}

}  // namespace

absl::StatusOr<int> Migrate(Connection& connection, absl::string_view schema,
                            std::span<const Migration> migrations) {
  const std::string quoted = connection.QuoteIdentifier(schema);
  CAUNOI_RETURN_IF_ERROR(connection.Execute(kLock, {std::string(kLockKey)}).status());
  absl::StatusOr<int> result = ApplyMissing(connection, quoted, migrations);
  absl::Status unlocked = connection.Execute(kUnlock, {std::string(kLockKey)}).status();
  if (result.ok() && !unlocked.ok()) return unlocked;
  return result;
}

}  // namespace caunoi::pg
