#include "common/pg/transaction.h"

#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/calls/caller_watch.h"
#include "common/logging/log.h"
#include "common/metrics/metrics.h"
#include "common/pg/sqlstate.h"
#include "common/status/errors.h"

namespace caunoi::pg {
namespace {

// BEGIN and its settings, one statement each: they travel with the
// transaction's first statement, in its round trip.
std::vector<std::string> BeginStatements(const TransactionOptions& options) {
  std::string begin = "BEGIN ISOLATION LEVEL ";
  switch (options.isolation) {
    case Isolation::kReadCommitted:
      begin += "READ COMMITTED";
      break;
    case Isolation::kRepeatableRead:
      begin += "REPEATABLE READ";
      break;
    case Isolation::kSerializable:
      begin += "SERIALIZABLE";
      break;
  }
  if (options.read_only) begin += " READ ONLY";
  std::vector<std::string> statements = {std::move(begin)};
  if (options.deadline != absl::InfiniteFuture()) {
    const int64_t millis =
        std::max<int64_t>(1, absl::ToInt64Milliseconds(options.deadline - absl::Now()));
    statements.push_back(absl::StrCat("SET LOCAL statement_timeout = ", millis));
  }
  return statements;
}

absl::Duration Backoff(int attempt) {
  thread_local std::minstd_rand random(std::random_device{}());
  const int64_t base_ms = 5LL << attempt;
  return absl::Milliseconds(base_ms + static_cast<int64_t>(random() % (base_ms + 1)));
}

enum class Stage { kBody, kCommit };

struct Failure {
  absl::Status status;
  Stage stage;
};

std::optional<Failure> Attempt(Pool& pool, const TransactionOptions& options,
                               absl::FunctionRef<absl::Status(Connection&)> body) {
  absl::StatusOr<Pool::Lease> lease = pool.Acquire(options.deadline);
  if (!lease.ok()) return Failure{lease.status(), Stage::kBody};
  Connection& connection = **lease;

  connection.Defer(BeginStatements(options));
  (void)connection.TakeAfterCommit();  // afresh on each attempt
  absl::Status status = body(connection);
  if (!status.ok()) {
    (void)connection.TakeAfterCommit();
    connection.DiscardDeferred();
    // The rollback's own failure only means the connection is gone; the
    // pool notices and drops it.
    if (connection.InTransaction()) (void)connection.ExecuteScript("ROLLBACK");
    return Failure{status, Stage::kBody};
  }
  std::vector<std::function<void()>> after_commit = connection.TakeAfterCommit();
  absl::Status commit = connection.Commit();
  if (!commit.ok()) return Failure{commit, Stage::kCommit};
  for (std::function<void()>& action : after_commit) action();
  return std::nullopt;
}

}  // namespace

absl::Status RunInTransaction(Pool& pool, const TransactionOptions& options,
                              absl::FunctionRef<absl::Status(Connection&)> body) {
  for (int attempt = 1;; ++attempt) {
    std::optional<Failure> failure = Attempt(pool, options, body);
    if (!failure.has_value()) return absl::OkStatus();

    const bool retryable = IsSerializationFailure(failure->status) ||
                           (IsConnectionFailure(failure->status) && failure->stage == Stage::kBody);
    if (failure->stage == Stage::kCommit && IsConnectionFailure(failure->status)) {
      return ErrorWithReason(absl::StatusCode::kUnavailable,
                             "database connection lost during commit; the outcome is unknown",
                             "COMMIT_OUTCOME_UNKNOWN");
    }
    const absl::Duration pause = Backoff(attempt);
    if (!retryable || attempt >= options.max_attempts || absl::Now() + pause >= options.deadline ||
        calls::CallerGone()) {
      return failure->status;
    }
    metrics::Counter("caunoi_db_transaction_retries_total",
                     "transactions run again after a serialization failure or lost connection")
        .Increment();
    log::Info("pg.transaction_retry",
              {{"attempt", absl::StrCat(attempt)}, {"reason", failure->status.message()}});
    absl::SleepFor(pause);
  }
}

}  // namespace caunoi::pg
