#include "common/pg/transaction.h"

#include <random>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/calls/caller_watch.h"
#include "common/logging/log.h"
#include "common/metrics/metrics.h"
#include "common/pg/sqlstate.h"
#include "common/status/errors.h"

namespace caunoi::pg {
namespace {

std::string BeginStatement(const TransactionOptions& options) {
  std::string sql = "BEGIN ISOLATION LEVEL ";
  switch (options.isolation) {
    case Isolation::kReadCommitted:
      sql += "READ COMMITTED";
      break;
    case Isolation::kRepeatableRead:
      sql += "REPEATABLE READ";
      break;
    case Isolation::kSerializable:
      sql += "SERIALIZABLE";
      break;
  }
  if (options.read_only) sql += " READ ONLY";
  if (options.deadline != absl::InfiniteFuture()) {
    const int64_t millis =
        std::max<int64_t>(1, absl::ToInt64Milliseconds(options.deadline - absl::Now()));
    absl::StrAppend(&sql, "; SET LOCAL statement_timeout = ", millis);
  }
  if (options.plan_each_call) sql += "; SET LOCAL plan_cache_mode = force_custom_plan";
  return sql;
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

  absl::Status status = connection.ExecuteScript(BeginStatement(options)).status();
  if (status.ok()) status = body(connection);
  if (!status.ok()) {
    // The rollback's own failure only means the connection is gone; the
    // pool notices and drops it.
    (void)connection.ExecuteScript("ROLLBACK");
    return Failure{status, Stage::kBody};
  }
  absl::Status commit = connection.ExecuteScript("COMMIT").status();
  if (!commit.ok()) return Failure{commit, Stage::kCommit};
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
