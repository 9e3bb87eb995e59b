#include "tests/support/migration_test.h"

#include "absl/strings/str_cat.h"

namespace caunoi::testing {

absl::Status MigrateBefore(pg::Connection& connection, const std::string& schema,
                           std::span<const pg::Migration> migrations, int version) {
  size_t before = 0;
  while (before < migrations.size() && migrations[before].version < version) ++before;
  if (before == migrations.size() || migrations[before].version != version) {
    return absl::NotFoundError(absl::StrCat(schema, " has no migration ", version));
  }
  return pg::Migrate(connection, schema, migrations.first(before)).status();
}

}  // namespace caunoi::testing
