#include <atomic>
#include <optional>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "common/pg/commit_wakeup.h"
#include "common/pg/pool.h"
#include "common/pg/transaction.h"
#include "common/status/status_macros.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/postgres_test.h"

namespace caunoi::pg {
namespace {

using ::caunoi::testing::IsOk;
using ::caunoi::testing::StatusIs;

constexpr Statement kEcho{"echo", "SELECT $1::text, $2::text IS NULL"};
constexpr Statement kCount{"count", "SELECT count(*) FROM t"};
constexpr Statement kInsert{"insert", "INSERT INTO t (v) VALUES ($1)"};
constexpr Statement kRead{"read", "SELECT v FROM counter WHERE id = 1"};
constexpr Statement kWrite{"write", "UPDATE counter SET v = $1 WHERE id = 1"};

class PgPoolTest : public caunoi::testing::PostgresTest {
 protected:
  void SetUp() override {
    PostgresTest::SetUp();
    if (HasFatalFailure()) return;
    pool_ = std::make_unique<Pool>(PoolOptions{.dsn = postgres_->dsn(), .size = 2});
    ASSERT_THAT(Run("CREATE TABLE t (v text); CREATE TABLE counter (id int PRIMARY KEY, v int);"
                    "INSERT INTO counter VALUES (1, 0)"),
                IsOk());
  }

  absl::Status Run(absl::string_view sql) {
    auto connection = Connection::Open(postgres_->dsn(), "test");
    if (!connection.ok()) return connection.status();
    return (*connection)->ExecuteScript(sql).status();
  }

  int64_t Count() {
    auto count = Transact<int64_t>(*pool_, {}, [](Connection& c) -> absl::StatusOr<int64_t> {
      auto result = c.Execute(kCount);
      if (!result.ok()) return result.status();
      return result->Int64(0, 0);
    });
    EXPECT_THAT(count, IsOk());
    return count.value_or(-1);
  }

  std::unique_ptr<Pool> pool_;
};

TEST_F(PgPoolTest, ParametersRoundTripUtf8AndNull) {
  absl::Status status = RunInTransaction(*pool_, {}, [](Connection& c) -> absl::Status {
    auto result = c.Execute(kEcho, {"Thành phố Hồ Chí Minh · 2722/KH-UBND", std::nullopt});
    if (!result.ok()) return result.status();
    EXPECT_EQ(result->Text(0, 0), "Thành phố Hồ Chí Minh · 2722/KH-UBND");
    EXPECT_TRUE(result->Bool(0, 1));
    return absl::OkStatus();
  });
  EXPECT_THAT(status, IsOk());
}

TEST_F(PgPoolTest, FailedBodyRollsBackEverything) {
  absl::Status status = RunInTransaction(*pool_, {}, [](Connection& c) -> absl::Status {
    EXPECT_THAT(c.Execute(kInsert, {"half-written"}).status(), IsOk());
    return absl::InvalidArgumentError("changed my mind");
  });
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(Count(), 0);
}

TEST_F(PgPoolTest, SerializationFailureIsRetried) {
  std::atomic<int> attempts = 0;
  absl::Status status = RunInTransaction(
      *pool_, {.isolation = Isolation::kSerializable}, [&](Connection& c) -> absl::Status {
        auto read = c.Execute(kRead);
        if (!read.ok()) return read.status();
        const int64_t value = *read->Int64(0, 0);
        if (++attempts == 1) {
          // Someone else commits a change to what we read: our write must conflict.
          EXPECT_THAT(Run("UPDATE counter SET v = v + 100 WHERE id = 1"), IsOk());
        }
        return c.Execute(kWrite, {absl::StrCat(value + 1)}).status();
      });
  EXPECT_THAT(status, IsOk());
  EXPECT_EQ(attempts.load(), 2);
  auto final_value = Transact<int64_t>(*pool_, {}, [](Connection& c) -> absl::StatusOr<int64_t> {
    auto result = c.Execute(kRead);
    if (!result.ok()) return result.status();
    return result->Int64(0, 0);
  });
  EXPECT_EQ(*final_value, 101);
}

TEST_F(PgPoolTest, ReconnectsAfterPostgresRestarts) {
  EXPECT_THAT(
      RunInTransaction(*pool_, {},
                       [](Connection& c) { return c.Execute(kInsert, {"before"}).status(); }),
      IsOk());
  ASSERT_THAT(postgres_->Stop(), IsOk());
  EXPECT_THAT(
      RunInTransaction(*pool_, {},
                       [](Connection& c) { return c.Execute(kInsert, {"during"}).status(); }),
      StatusIs(absl::StatusCode::kUnavailable));
  ASSERT_THAT(postgres_->Resume(), IsOk());
  EXPECT_THAT(RunInTransaction(
                  *pool_, {}, [](Connection& c) { return c.Execute(kInsert, {"after"}).status(); }),
              IsOk());
  EXPECT_EQ(Count(), 2);
}

TEST_F(PgPoolTest, IdleConnectionsSurviveARestartTransparently) {
  EXPECT_EQ(Count(), 0);  // leaves an idle, prepared connection in the pool
  ASSERT_THAT(postgres_->Stop(), IsOk());
  ASSERT_THAT(postgres_->Resume(), IsOk());
  EXPECT_EQ(Count(), 0);  // no error surfaces: the dead connection is replaced
}

TEST_F(PgPoolTest, AcquireGivesUpAtTheDeadline) {
  auto first = pool_->Acquire(absl::InfiniteFuture());
  auto second = pool_->Acquire(absl::InfiniteFuture());
  ASSERT_THAT(first.status(), IsOk());
  ASSERT_THAT(second.status(), IsOk());
  EXPECT_THAT(pool_->Acquire(absl::Now() + absl::Milliseconds(50)).status(),
              StatusIs(absl::StatusCode::kDeadlineExceeded));
}

// A connection freed while a caller waits goes to that caller, not to one
// arriving after it: under load no caller waits out turn after turn.
TEST_F(PgPoolTest, AFreedConnectionGoesToTheCallerWaitingLongest) {
  auto acquired = pool_->Acquire(absl::InfiniteFuture());
  auto second = pool_->Acquire(absl::InfiniteFuture());
  ASSERT_THAT(acquired.status(), IsOk());
  ASSERT_THAT(second.status(), IsOk());
  std::optional<Pool::Lease> first;
  first.emplace(*std::move(acquired));
  absl::Notification served;
  absl::Notification finished;
  std::thread waiter([&] {
    auto lease = pool_->Acquire(absl::InfiniteFuture());
    EXPECT_THAT(lease.status(), IsOk());
    served.Notify();
    finished.WaitForNotification();
  });
  absl::SleepFor(absl::Milliseconds(200));  // long enough for the waiter to queue
  first.reset();
  EXPECT_THAT(pool_->Acquire(absl::Now() + absl::Milliseconds(100)).status(),
              StatusIs(absl::StatusCode::kDeadlineExceeded));
  EXPECT_TRUE(served.WaitForNotificationWithTimeout(absl::Seconds(5)));
  finished.Notify();
  waiter.join();
}

// How many connections the application `name` has open now, seen from a
// connection of the test's own.
int64_t OpenConnections(const std::string& dsn, const std::string& name) {
  auto observer = Connection::Open(dsn, "test-observer");
  if (!observer.ok()) return -1;
  constexpr Statement kOpen{"open_connections",
                            "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1"};
  absl::StatusOr<Result> counted = (*observer)->Execute(kOpen, {name});
  if (!counted.ok()) return -1;
  return counted->Int64(0, 0).value_or(-1);
}

// Polls until `name` has `count` connections open, for at most 20 s.
bool ComesToOpenConnections(const std::string& dsn, const std::string& name, int64_t count) {
  for (int i = 0; i < 200; ++i) {
    if (OpenConnections(dsn, name) == count) return true;
    absl::SleepFor(absl::Milliseconds(100));
  }
  return false;
}

// A burst of callers finds its connections already open: none pays for
// opening one while the others wait.
TEST_F(PgPoolTest, APoolOpeningAheadHasItsConnectionsBeforeAnyoneAsks) {
  Pool ahead(PoolOptions{
      .dsn = postgres_->dsn(), .application_name = "ahead", .size = 3, .open_ahead = true});
  EXPECT_TRUE(ComesToOpenConnections(postgres_->dsn(), "ahead", 3));
  // No more than its size, however long it runs.
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(OpenConnections(postgres_->dsn(), "ahead"), 3);
  Pool on_demand(PoolOptions{.dsn = postgres_->dsn(), .application_name = "on-demand", .size = 3});
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(OpenConnections(postgres_->dsn(), "on-demand"), 0);
}

// After PostgreSQL restarts, the dead connections go and new ones are open
// again before the next burst.
TEST_F(PgPoolTest, APoolOpeningAheadOpensAgainAfterPostgresRestarts) {
  Pool ahead(PoolOptions{
      .dsn = postgres_->dsn(), .application_name = "ahead", .size = 2, .open_ahead = true});
  ASSERT_TRUE(ComesToOpenConnections(postgres_->dsn(), "ahead", 2));
  ASSERT_THAT(postgres_->Stop(), IsOk());
  ASSERT_THAT(postgres_->Resume(), IsOk());
  // The first call finds its connection dead and the pool lets every idle
  // one go; it is answered on a new one.
  EXPECT_THAT(RunInTransaction(ahead, {},
                               [](Connection& c) {
                                 return c.Execute(kEcho, {"a", "b"}).status();
                               }),
              IsOk());
  EXPECT_TRUE(ComesToOpenConnections(postgres_->dsn(), "ahead", 2));
}

// BEGIN and its settings travel with the transaction's first statement:
// that statement already runs inside the transaction, as configured.
TEST_F(PgPoolTest, TheFirstStatementRunsInsideTheTransactionItBegins) {
  constexpr Statement kSettings{
      "settings",
      "SELECT current_setting('transaction_isolation'), current_setting('transaction_read_only'),"
      " current_setting('statement_timeout') <> '0', now()::text"};
  constexpr Statement kStarted{"started", "SELECT now()::text"};
  absl::Status status = RunInTransaction(
      *pool_,
      {.isolation = Isolation::kSerializable,
       .read_only = true,
       .deadline = absl::Now() + absl::Seconds(30)},
      [&](Connection& c) -> absl::Status {
        CAUNOI_ASSIGN_OR_RETURN(Result settings, c.Execute(kSettings));
        EXPECT_EQ(settings.Text(0, 0), "serializable");
        EXPECT_EQ(settings.Text(0, 1), "on");
        EXPECT_TRUE(settings.Bool(0, 2));
        CAUNOI_ASSIGN_OR_RETURN(Result started, c.Execute(kStarted));
        EXPECT_EQ(started.Text(0, 0), settings.Text(0, 3)) << "not one transaction";
        return absl::OkStatus();
      });
  EXPECT_THAT(status, IsOk());
}

// A body that sends no statement never began its transaction: nothing of
// it (its statement timeout least of all) is left for the next one on the
// same connection.
TEST_F(PgPoolTest, ABodyThatSendsNothingLeavesNothingBehind) {
  for (int i = 0; i < 4; ++i) {
    EXPECT_THAT(RunInTransaction(*pool_, {.deadline = absl::Now() + absl::Milliseconds(50)},
                                 [](Connection&) { return absl::OkStatus(); }),
                IsOk());
    EXPECT_THAT(RunInTransaction(*pool_, {.deadline = absl::Now() + absl::Milliseconds(50)},
                                 [](Connection&) { return absl::NotFoundError("nothing to do"); }),
                StatusIs(absl::StatusCode::kNotFound));
  }
  absl::SleepFor(absl::Milliseconds(100));
  constexpr Statement kNap{"nap", "SELECT pg_sleep(0.2)"};
  for (int i = 0; i < 4; ++i) {  // both pooled connections, twice
    EXPECT_THAT(
        RunInTransaction(*pool_, {}, [&](Connection& c) { return c.Execute(kNap).status(); }),
        IsOk());
  }
}

// A first statement the server refuses, sent with BEGIN and its own
// preparation, answers with its own error and leaves the connection usable.
TEST_F(PgPoolTest, ARefusedFirstStatementAnswersWithItsErrorAndLeavesTheConnectionUsable) {
  constexpr Statement kBad{"bad", "SELECT no_such_column FROM t"};
  for (int i = 0; i < 4; ++i) {
    absl::Status status =
        RunInTransaction(*pool_, {}, [&](Connection& c) { return c.Execute(kBad).status(); });
    EXPECT_FALSE(status.ok());
    EXPECT_NE(status.code(), absl::StatusCode::kUnavailable) << status;
  }
  EXPECT_THAT(RunInTransaction(
                  *pool_, {}, [](Connection& c) { return c.Execute(kInsert, {"after"}).status(); }),
              IsOk());
  EXPECT_EQ(Count(), 1);
}

// A statement deferred with its values (an audit record) keeps its place:
// it runs before the next statement, or with the COMMIT when none follows.
TEST_F(PgPoolTest, ADeferredStatementRunsBeforeTheNextOneOrWithTheCommit) {
  EXPECT_THAT(RunInTransaction(*pool_, {},
                               [](Connection& c) -> absl::Status {
                                 c.Defer(kInsert, {"first"});
                                 CAUNOI_ASSIGN_OR_RETURN(Result seen, c.Execute(kCount));
                                 EXPECT_EQ(*seen.Int64(0, 0), 1) << "ran after the next statement";
                                 c.Defer(kInsert, {"with the commit"});
                                 return absl::OkStatus();
                               }),
              IsOk());
  EXPECT_EQ(Count(), 2);
}

// Statements sent together answer in order, after what was deferred before
// them; the first one refused is the error of all.
TEST_F(PgPoolTest, StatementsSentTogetherAnswerInOrder) {
  constexpr Statement kRefused{"refused_together", "SELECT $1::int"};
  EXPECT_THAT(RunInTransaction(*pool_, {},
                               [&](Connection& c) -> absl::Status {
                                 c.Defer(kInsert, {"deferred"});
                                 CAUNOI_ASSIGN_OR_RETURN(
                                     std::vector<Result> results,
                                     c.ExecuteTogether({{kEcho, {"một", std::nullopt}},
                                                        {kCount, {}},
                                                        {kEcho, {"hai", "not null"}}}));
                                 EXPECT_EQ(results.size(), 3u);
                                 if (results.size() != 3) return absl::OkStatus();
                                 EXPECT_EQ(results[0].Text(0, 0), "một");
                                 EXPECT_EQ(*results[1].Int64(0, 0), 1) << "before the deferred";
                                 EXPECT_EQ(results[2].Text(0, 0), "hai");
                                 EXPECT_FALSE(results[2].Bool(0, 1));
                                 return absl::OkStatus();
                               }),
              IsOk());
  absl::Status refused = RunInTransaction(*pool_, {}, [&](Connection& c) -> absl::Status {
    return c.ExecuteTogether({{kInsert, {"undone"}}, {kRefused, {"bốn"}}, {kCount, {}}}).status();
  });
  EXPECT_FALSE(refused.ok());
  EXPECT_NE(refused.code(), absl::StatusCode::kUnavailable) << refused;
  EXPECT_EQ(Count(), 1);
}

// A deferred statement the server refuses fails the COMMIT it travelled
// with, and nothing of its transaction stays; one deferred by a body that
// then fails is never sent. Either way the connection serves the next
// transaction.
TEST_F(PgPoolTest, ARefusedDeferredStatementUndoesItsWholeTransaction) {
  constexpr Statement kRefused{"refused", "INSERT INTO t (v) VALUES ($1::int::text)"};
  for (int i = 0; i < 4; ++i) {  // both pooled connections, twice
    absl::Status refused = RunInTransaction(*pool_, {}, [&](Connection& c) -> absl::Status {
      CAUNOI_RETURN_IF_ERROR(c.Execute(kInsert, {"undone"}).status());
      c.Defer(kRefused, {"not a number"});
      return absl::OkStatus();
    });
    EXPECT_FALSE(refused.ok());
    EXPECT_NE(refused.code(), absl::StatusCode::kUnavailable) << refused;
    EXPECT_THAT(RunInTransaction(*pool_, {},
                                 [&](Connection& c) -> absl::Status {
                                   CAUNOI_RETURN_IF_ERROR(c.Execute(kInsert, {"undone"}).status());
                                   c.Defer(kInsert, {"never sent"});
                                   return absl::AbortedError("changed my mind");
                                 }),
                StatusIs(absl::StatusCode::kAborted));
  }
  EXPECT_EQ(Count(), 0);
  EXPECT_THAT(RunInTransaction(
                  *pool_, {}, [](Connection& c) { return c.Execute(kInsert, {"after"}).status(); }),
              IsOk());
  EXPECT_EQ(Count(), 1);
}

// What a transaction asks to run after its commit runs once it has
// committed: never for a body that failed, once for a transaction retried
// after a serialization failure. A change feed subscribed to a channel is
// woken that way.
TEST_F(PgPoolTest, AfterCommitActionsRunOnlyOnceTheirTransactionCommitted) {
  std::atomic<int> woken = 0;
  SubscribeToCommits("pool_test_changes", [&] { ++woken; });
  const auto wake_after_commit = [](Connection& c) {
    c.AfterCommit([] { WakeAfterCommit("pool_test_changes"); });
  };
  EXPECT_THAT(RunInTransaction(*pool_, {},
                               [&](Connection& c) {
                                 wake_after_commit(c);
                                 EXPECT_EQ(woken.load(), 0) << "woken before the commit";
                                 return c.Execute(kInsert, {"committed"}).status();
                               }),
              IsOk());
  EXPECT_EQ(woken.load(), 1);
  EXPECT_THAT(RunInTransaction(*pool_, {},
                               [&](Connection& c) -> absl::Status {
                                 wake_after_commit(c);
                                 CAUNOI_RETURN_IF_ERROR(c.Execute(kInsert, {"undone"}).status());
                                 return absl::AbortedError("changed my mind");
                               }),
              StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(woken.load(), 1);
  int attempts = 0;
  EXPECT_THAT(
      RunInTransaction(*pool_, {.isolation = Isolation::kSerializable},
                       [&](Connection& c) -> absl::Status {
                         wake_after_commit(c);
                         CAUNOI_ASSIGN_OR_RETURN(Result read, c.Execute(kRead));
                         if (++attempts == 1) {
                           EXPECT_THAT(Run("UPDATE counter SET v = v + 1 WHERE id = 1"), IsOk());
                         }
                         return c.Execute(kWrite, {absl::StrCat(*read.Int64(0, 0) + 1)}).status();
                       }),
      IsOk());
  EXPECT_EQ(attempts, 2);
  EXPECT_EQ(woken.load(), 2);
  // Another transaction on the same pooled connections inherits nothing.
  EXPECT_EQ(Count(), 1);
  EXPECT_EQ(woken.load(), 2);
  UnsubscribeFromCommits("pool_test_changes");
  WakeAfterCommit("pool_test_changes");
  EXPECT_EQ(woken.load(), 2);
}

TEST_F(PgPoolTest, SlowStatementStopsAtTheDeadline) {
  constexpr Statement kSleep{"sleep", "SELECT pg_sleep(5)"};
  const absl::Time start = absl::Now();
  absl::Status status =
      RunInTransaction(*pool_, {.deadline = absl::Now() + absl::Milliseconds(300)},
                       [&](Connection& c) { return c.Execute(kSleep).status(); });
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kDeadlineExceeded));
  EXPECT_LT(absl::Now() - start, absl::Seconds(4));
}

}  // namespace
}  // namespace caunoi::pg
