#ifndef CAUNOI_COMMON_PG_MIGRATOR_H_
#define CAUNOI_COMMON_PG_MIGRATOR_H_

#include <span>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/pg/connection.h"

namespace caunoi::pg {

// One numbered SQL file of a service, embedded in its binary at build time
// (common/pg/Migrations.cmake): services/<name>/migrations/NNNN_<what>.sql.
struct Migration {
  int version;
  absl::string_view name;
  absl::string_view sql;
};

// Brings `schema` up to date: creates it and <schema>.schema_migrations if
// needed, then applies each missing migration in version order, each inside
// its own transaction together with its version row. Runs under one
// advisory lock shared by every service, so replicas (and services creating
// extensions) starting together do not race. Returns the highest version
// now applied.
absl::StatusOr<int> Migrate(Connection& connection, absl::string_view schema,
                            std::span<const Migration> migrations);

}  // namespace caunoi::pg

#endif  // CAUNOI_COMMON_PG_MIGRATOR_H_
