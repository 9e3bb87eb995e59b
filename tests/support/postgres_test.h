#ifndef CAUNOI_TESTS_SUPPORT_POSTGRES_TEST_H_
#define CAUNOI_TESTS_SUPPORT_POSTGRES_TEST_H_

#include <memory>
#include <string>

#include "common/pg/connection.h"
#include "gtest/gtest.h"
#include "tests/support/postgres_server.h"

namespace caunoi::testing {

// A test with its own throwaway PostgreSQL. Subclasses that extend SetUp
// call PostgresTest::SetUp() first and stop on a fatal failure.
class PostgresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = PostgresServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    postgres_ = *std::move(server);
  }

  // A connection of the test's own to its database, named in
  // pg_stat_activity by `application_name`; null, with the test failed, when
  // none can be had.
  std::unique_ptr<pg::Connection> Connect(const std::string& application_name = "test") {
    auto connection = pg::Connection::Open(postgres_->dsn(), application_name);
    EXPECT_TRUE(connection.ok()) << connection.status();
    return connection.ok() ? *std::move(connection) : nullptr;
  }

  std::unique_ptr<PostgresServer> postgres_;
};

}  // namespace caunoi::testing

#endif  // CAUNOI_TESTS_SUPPORT_POSTGRES_TEST_H_
