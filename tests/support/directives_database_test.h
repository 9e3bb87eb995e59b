#ifndef CAUNOI_TESTS_SUPPORT_DIRECTIVES_DATABASE_TEST_H_
#define CAUNOI_TESTS_SUPPORT_DIRECTIVES_DATABASE_TEST_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "caunoi/v1/directives.grpc.pb.h"
#include "common/pg/connection.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/postgres_test.h"
#include "tests/support/server_process.h"
#include "tests/support/sql_rows.h"

namespace caunoi::testing {

// A real directives_server (with the organizations_server it asks) on its
// own PostgreSQL, a stub to call it, and a connection of the test's own to
// write rows directly and to recompute what the server keeps.
class DirectivesDatabaseTest : public PostgresTest {
 protected:
  using Stub = v1::DirectiveService::Stub;

  void SetUp() override {
    PostgresTest::SetUp();
    if (HasFatalFailure()) return;
    auto organizations = ServerProcess::Start(CAUNOI_ORGANIZATIONS_SERVER, {},
                                              {{"CAUNOI_DATABASE_URL", postgres_->dsn()}});
    ASSERT_TRUE(organizations.ok()) << organizations.status();
    organizations_ = *std::move(organizations);
    absl::StatusOr<std::unique_ptr<ServerProcess>> directives = StartDirectivesServer();
    ASSERT_TRUE(directives.ok()) << directives.status();
    directives_ = *std::move(directives);
    stub_ = v1::DirectiveService::NewStub(directives_->NewChannel());
    connection_ = Connect("directives-database-test");
    ASSERT_NE(connection_, nullptr);
  }

  // A directives server on the test's database (the fixture's, or another
  // replica beside it).
  absl::StatusOr<std::unique_ptr<ServerProcess>> StartDirectivesServer() {
    // The server's own horizon keeper would move the task horizon back to
    // today under a test that moves it: it waits a day.
    return ServerProcess::Start(CAUNOI_DIRECTIVES_SERVER, {"--task_horizon_interval=24h"},
                                {{"CAUNOI_DATABASE_URL", postgres_->dsn()},
                                 {"CAUNOI_ORGANIZATIONS_ADDRESS", organizations_->address()}});
  }

  void Run(const std::string& sql) {
    EXPECT_THAT(connection_->ExecuteScript(sql).status(), IsOk()) << sql;
  }

  std::vector<std::string> Rows(const std::string& sql) { return SqlRows(*connection_, sql); }

  // A central directive `root` of 2025-01-05, and `count` provincial plans
  // (ids root + 1 on) issued on `issued` in the locality `place` names,
  // both SQL expressions of the plan's number n.
  void InsertDirectiveAndPlans(int root, int count, const std::string& place,
                               const std::string& issued) {
    Run(absl::StrCat(
        "INSERT INTO directives.documents (id, type, symbol, number, type_code, issuer_code,"
        " normalized_symbol, level, issuing_body, issue_date, title, status)"
        " VALUES (",
        root, ", 'DIRECTIVE', '", root, "-CT/TW', ", root, ", 'CT', 'TW', '", root,
        "-CT/TW', 'CENTRAL', 'Ban Bí thư', '2025-01-05', 'Chỉ thị', 'ISSUED');"
        "INSERT INTO directives.documents (id, type, symbol, number, type_code, issuer_code,"
        " normalized_symbol, level, issuing_body, locality_id, current_locality_id, issue_date,"
        " title, status)"
        " SELECT ",
        root, " + n, 'PLAN', n || '/KH-UBND', n, 'KH', 'UBND', n || '/KH-UBND', 'PROVINCIAL',",
        " 'Ủy ban nhân dân', l, l, ", issued, ", 'Kế hoạch', 'ISSUED' FROM generate_series(1, ",
        count, ") n, LATERAL (SELECT ", place, " AS l) place"));
  }

  std::unique_ptr<ServerProcess> organizations_;
  std::unique_ptr<ServerProcess> directives_;
  std::unique_ptr<Stub> stub_;
  std::unique_ptr<pg::Connection> connection_;
};

}  // namespace caunoi::testing

#endif  // CAUNOI_TESTS_SUPPORT_DIRECTIVES_DATABASE_TEST_H_
