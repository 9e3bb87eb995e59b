#include "common/pg/migrator.h"

#include <thread>
#include <vector>

#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/postgres_test.h"

namespace caunoi::pg {
namespace {

using ::caunoi::testing::IsOk;
using ::caunoi::testing::StatusIs;
using ::testing::HasSubstr;

constexpr Migration kFirstTwo[] = {
    {1, "0001_create.sql", "CREATE TABLE sample.items (name text NOT NULL);"},
    {2, "0002_seed.sql", "INSERT INTO sample.items VALUES ('Hội hữu nghị');"},
};
constexpr Migration kWithBroken[] = {
    kFirstTwo[0],
    kFirstTwo[1],
    {3, "0003_broken.sql",
     "CREATE TABLE sample.orphans (x int); INSERT INTO sample.items VALUES (NULL);"},
};

class MigratorTest : public caunoi::testing::PostgresTest {
 protected:
  std::string Query(absl::string_view sql) {
    auto connection = Connect();
    auto result = connection->ExecuteScript(sql);
    EXPECT_THAT(result.status(), IsOk());
    return result.ok() && result->rows() > 0 ? std::string(result->Text(0, 0)) : "";
  }
};

TEST_F(MigratorTest, AppliesEachMigrationOnceAndRecordsIt) {
  auto connection = Connect();
  EXPECT_EQ(*Migrate(*connection, "sample", kFirstTwo), 2);
  EXPECT_EQ(*Migrate(*connection, "sample", kFirstTwo), 2);
  EXPECT_EQ(Query("SELECT count(*) FROM sample.items"), "1");
  EXPECT_EQ(Query("SELECT string_agg(version || ':' || name, ',' ORDER BY version)"
                  " FROM sample.schema_migrations"),
            "1:0001_create.sql,2:0002_seed.sql");
  EXPECT_EQ(Query("SELECT name FROM sample.items"), "Hội hữu nghị");
}

TEST_F(MigratorTest, ConcurrentReplicasApplyOnce) {
  std::vector<std::thread> replicas;
  std::vector<absl::StatusOr<int>> results(4, absl::UnknownError("not run"));
  for (size_t i = 0; i < results.size(); ++i) {
    replicas.emplace_back([&, i] {
      auto connection = Connection::Open(postgres_->dsn(), "replica");
      results[i] = connection.ok() ? Migrate(**connection, "sample", kFirstTwo)
                                   : absl::StatusOr<int>(connection.status());
    });
  }
  for (std::thread& replica : replicas) replica.join();
  for (const auto& result : results) EXPECT_THAT(result, IsOk());
  EXPECT_EQ(Query("SELECT count(*) FROM sample.items"), "1");
  EXPECT_EQ(Query("SELECT count(*) FROM sample.schema_migrations"), "2");
}

TEST_F(MigratorTest, FailedMigrationLeavesNoTrace) {
  auto connection = Connect();
  EXPECT_THAT(Migrate(*connection, "sample", kWithBroken),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("0003_broken.sql")));
  EXPECT_EQ(Query("SELECT max(version) FROM sample.schema_migrations"), "2");
  EXPECT_EQ(Query("SELECT count(*) FROM pg_tables WHERE tablename = 'orphans'"), "0");
  // The lock was released: a fixed binary can migrate at once.
  EXPECT_EQ(*Migrate(*connection, "sample", kFirstTwo), 2);
}

}  // namespace
}  // namespace caunoi::pg
