#ifndef CAUNOI_TESTS_SUPPORT_POSTGRES_TEST_H_
#define CAUNOI_TESTS_SUPPORT_POSTGRES_TEST_H_

#include <memory>

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

  // A connection of the test's own to its database; null, with the test
  // failed, when none can be had.
  std::unique_ptr<pg::Connection> Connect() {
    auto connection = pg::Connection::Open(postgres_->dsn(), "test");
    EXPECT_TRUE(connection.ok()) << connection.status();
    return connection.ok() ? *std::move(connection) : nullptr;
  }

  std::unique_ptr<PostgresServer> postgres_;
};

}  // namespace caunoi::testing

#endif  // CAUNOI_TESTS_SUPPORT_POSTGRES_TEST_H_
