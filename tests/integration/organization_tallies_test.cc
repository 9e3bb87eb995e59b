// The organization tallies kept by statement triggers, against a
// recomputation from the registry itself after a random mix of writes.
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/pg/connection.h"
#include "common/pg/migrator.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/postgres_server.h"
#include "tests/support/sql_rows.h"

namespace caunoi::organizations {
std::span<const pg::Migration> Migrations();  // generated from migrations/*.sql
}  // namespace caunoi::organizations

namespace caunoi {
namespace {

using ::caunoi::testing::IsOk;
using ::caunoi::testing::SqlRows;
using ::testing::IsEmpty;
using ::testing::Not;

// Multi-row inserts, kind, locality and status changes, deletes that keep
// the row and deletes that remove it, undeletes, and organizations of units
// replaced in 2025 moved to their successors (and left where they were).
TEST(OrganizationTalliesTest, KeptTalliesEqualARecomputationAfterRandomWrites) {
  auto postgres = testing::PostgresServer::Start({});
  ASSERT_THAT(postgres.status(), IsOk());
  auto opened = pg::Connection::Open((*postgres)->dsn(), "tallies-test");
  ASSERT_THAT(opened.status(), IsOk());
  pg::Connection& connection = **opened;
  ASSERT_THAT(pg::Migrate(connection, "organizations", organizations::Migrations()).status(),
              IsOk());
  // Writes come from several connections, so they land in several shards.
  std::vector<std::unique_ptr<pg::Connection>> writers;
  for (int i = 0; i < 4; ++i) {
    auto writer = pg::Connection::Open((*postgres)->dsn(), "tallies-writer");
    ASSERT_THAT(writer.status(), IsOk());
    writers.push_back(*std::move(writer));
  }
  int written = 0;
  auto run = [&](const std::string& sql) {
    pg::Connection& writer = *writers[written++ % writers.size()];
    EXPECT_THAT(writer.ExecuteScript(sql).status(), IsOk()) << sql;
  };
  // Today's Hanoi and Ho Chi Minh City, three units replaced in 2025, none.
  const std::vector<std::string> localities = {"'01'", "'79'", "NULL"};
  const std::vector<std::string> replaced =
      SqlRows(connection,
              "SELECT quote_literal(id) FROM organizations.localities"
              " WHERE successor_id IS NOT NULL ORDER BY id LIMIT 3");
  ASSERT_EQ(replaced.size(), 3u);
  std::vector<std::string> places = localities;
  places.insert(places.end(), replaced.begin(), replaced.end());
  const char* kKinds[] = {"'FRIENDSHIP_UNION'", "'FRIENDSHIP_ASSOCIATION'", "'DEPARTMENT'"};
  const char* kStatuses[] = {"'ACTIVE'", "'ACTIVE'", "'DISSOLVED'"};

  std::mt19937 random(20261202);
  auto pick = [&](int n) { return static_cast<int>(random() % n); };
  // A live organization, or none when the registry is empty.
  const std::string some = "(SELECT id FROM organizations.organizations ORDER BY id OFFSET ";
  for (int step = 0; step < 400; ++step) {
    const std::string offset = absl::StrCat(some, pick(40), " LIMIT 1)");
    switch (pick(8)) {
      case 0:
      case 1: {  // several in one statement
        std::vector<std::string> rows;
        for (int i = 0; i < 1 + pick(6); ++i) {
          const std::string& place = places[pick(static_cast<int>(places.size()))];
          rows.push_back(absl::StrCat("('Hội hữu nghị ", step, "-", i, "', ", kKinds[pick(3)], ", ",
                                      place == "NULL" ? "'CENTRAL'" : "'PROVINCIAL'", ", ", place,
                                      ", ", kStatuses[pick(3)], ")"));
        }
        run(absl::StrCat(
            "INSERT INTO organizations.organizations (display_name, kind, level, locality_id,"
            " status) VALUES ",
            absl::StrJoin(rows, ", ")));
        break;
      }
      case 2:  // a kind changed on a few at once
        run(absl::StrCat("UPDATE organizations.organizations SET kind = ", kKinds[pick(3)],
                         " WHERE id % 5 = ", pick(5)));
        break;
      case 3:  // moved to another place
        run(absl::StrCat("UPDATE organizations.organizations SET locality_id = ",
                         places[pick(static_cast<int>(places.size()) - 1)],
                         ", level = 'PROVINCIAL' WHERE id = ", offset));
        break;
      case 4:  // dissolved or active again
        run(absl::StrCat("UPDATE organizations.organizations SET status = ", kStatuses[pick(3)],
                         " WHERE id = ", offset));
        break;
      case 5:  // deleted and kept, or brought back
        if (pick(2) == 0) {
          run(
              absl::StrCat("UPDATE organizations.organization_rows SET delete_time = now()"
                           " WHERE id = ",
                           offset));
        } else {
          run("UPDATE organizations.organization_rows SET delete_time = NULL"
              " WHERE id = (SELECT min(id) FROM organizations.organization_rows"
              " WHERE delete_time IS NOT NULL)");
        }
        break;
      case 6:  // removed
        run(absl::StrCat("DELETE FROM organizations.organization_rows WHERE id = ", offset));
        break;
      case 7:  // the 2025 merger: organizations of replaced units moved to today's
        run(
            absl::StrCat("UPDATE organizations.organizations o SET locality_id = l.successor_id"
                         " FROM organizations.localities l WHERE l.id = o.locality_id"
                         " AND l.successor_id IS NOT NULL AND o.id % 3 = ",
                         pick(3)));
        break;
    }
  }
  const std::vector<std::string> recomputed =
      SqlRows(connection,
              "SELECT coalesce(locality_id, ''), kind, count(*) FROM organizations.organizations"
              " WHERE status = 'ACTIVE' GROUP BY 1, 2 ORDER BY 1, 2");
  EXPECT_THAT(recomputed, Not(IsEmpty()));
  EXPECT_EQ(SqlRows(connection,
                    "SELECT locality_id, kind, sum(organizations)"
                    " FROM organizations.organization_tallies GROUP BY 1, 2"
                    " HAVING sum(organizations) <> 0 ORDER BY 1, 2"),
            recomputed);
  EXPECT_THAT(SqlRows(connection,
                      "SELECT locality_id, kind FROM organizations.organization_tallies"
                      " GROUP BY 1, 2 HAVING sum(organizations) < 0"),
              IsEmpty());
  EXPECT_THAT(SqlRows(connection,
                      "SELECT 1 FROM organizations.organization_tallies"
                      " GROUP BY locality_id, kind HAVING count(*) > 1 LIMIT 1"),
              Not(IsEmpty()))
      << "no tally was written from more than one shard";
  // Some of each kind of place took part.
  EXPECT_THAT(SqlRows(connection,
                      "SELECT 1 FROM organizations.organizations o JOIN organizations.localities l"
                      " ON l.id = o.locality_id WHERE l.successor_id IS NOT NULL LIMIT 1"),
              Not(IsEmpty()));
}

}  // namespace
}  // namespace caunoi
