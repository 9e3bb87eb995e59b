#ifndef CAUNOI_TESTS_SUPPORT_MIGRATION_TEST_H_
#define CAUNOI_TESTS_SUPPORT_MIGRATION_TEST_H_

#include <memory>
#include <span>
#include <string>

#include "absl/status/status.h"
#include "common/pg/connection.h"
#include "common/pg/migrator.h"
#include "gtest/gtest.h"
#include "tests/support/postgres_test.h"

namespace caunoi::testing {

// Applies `migrations` up to, not including, `version`, which must be one
// of them.
absl::Status MigrateBefore(pg::Connection& connection, const std::string& schema,
                           std::span<const pg::Migration> migrations, int version);

// A test of one migration: the database as that migration finds it, every
// earlier one applied, with `connection_` open on it.
class MigrationTest : public PostgresTest {
 protected:
  void SetUpBefore(const std::string& schema, std::span<const pg::Migration> migrations,
                   int version) {
    PostgresTest::SetUp();
    if (HasFatalFailure()) return;
    connection_ = Connect("migration-test");
    ASSERT_NE(connection_, nullptr);
    const absl::Status migrated = MigrateBefore(*connection_, schema, migrations, version);
    ASSERT_TRUE(migrated.ok()) << migrated;
  }

  std::unique_ptr<pg::Connection> connection_;
};

}  // namespace caunoi::testing

#endif  // CAUNOI_TESTS_SUPPORT_MIGRATION_TEST_H_
